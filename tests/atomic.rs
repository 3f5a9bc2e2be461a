//! Atomic output under kill (issue 6): `ogi build` killed with SIGKILL (during
//! extraction, and while it writes the tables) or interrupted with SIGINT leaves the
//! previous dataset byte for byte as it was, and the next successful build leaves no
//! `.dataset.tmp-*` / `.dataset.old-*` litter behind. Builds run with `--no-cache`, so
//! each one parses every file and takes long enough to be killed.

mod common;

use common::{ogi, repo, snapshot};
use std::os::unix::process::ExitStatusExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// 600 reports: the samples, each copied 120 times with a line of its own appended (so
/// every copy has its own report_id), in 20 subdirectories. In the dev profile that
/// is several seconds of extraction, and writing the tables takes long enough
/// (about half a second) to be caught mid-write by polling every millisecond.
fn big_corpus(dir: &Path) -> usize {
    let samples: Vec<(String, Vec<u8>)> = std::fs::read_dir(repo().join("data/reports"))
        .expect("ls")
        .flatten()
        .map(|e| (e.file_name().to_string_lossy().into_owned(), std::fs::read(e.path()).expect("read")))
        .collect();
    let mut n = 0;
    for i in 0..120 {
        let sub = dir.join(format!("batch{:02}", i % 20));
        std::fs::create_dir_all(&sub).expect("mkdir");
        for (name, bytes) in &samples {
            let mut b = bytes.clone();
            b.extend_from_slice(format!("\n附注：副本{i}。\n").as_bytes());
            std::fs::write(sub.join(format!("{i:03}_{name}")), b).expect("write");
            n += 1;
        }
    }
    n
}

fn start(input: &Path, out: &Path) -> Child {
    ogi()
        .arg("build")
        .arg(input)
        .arg("--out")
        .arg(out)
        .arg("--quiet")
        .arg("--no-cache")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn ogi build")
}

/// Waits until `ready(staging_dir)` holds for the child's staging directory; false if
/// the child exited first (or after 10 minutes, on a very slow machine).
fn wait_for(child: &mut Child, out: &Path, ready: impl Fn(&Path) -> bool) -> bool {
    let name = out.file_name().expect("name").to_string_lossy().into_owned();
    let staging = out.with_file_name(format!(".{name}.tmp-{}", child.id()));
    let t = Instant::now();
    while t.elapsed() < Duration::from_secs(600) {
        if child.try_wait().expect("try_wait").is_some() {
            return false;
        }
        if staging.is_dir() && ready(&staging) {
            return true;
        }
        std::thread::sleep(Duration::from_millis(1));
    }
    false
}

fn litter(parent: &Path) -> Vec<String> {
    std::fs::read_dir(parent)
        .expect("ls")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".dataset.tmp-") || n.starts_with(".dataset.old-"))
        .collect()
}

#[test]
fn killed_or_interrupted_builds_leave_the_previous_dataset_whole() {
    let tmp = tempfile::tempdir().expect("tmp");
    let input = tmp.path().join("corpus");
    let n = big_corpus(&input);
    assert!(n >= 600);
    let out = tmp.path().join("dataset");
    let o = ogi()
        .arg("build")
        .arg(repo().join("data/reports"))
        .arg("--out")
        .arg(&out)
        .arg("-q")
        .output()
        .expect("runs");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let before = snapshot(&out);
    assert!(before.len() >= 12, "{:?}", before.keys());

    // 1. SIGKILL while extracting (the staging directory exists, nothing written yet).
    let mut child = start(&input, &out);
    assert!(wait_for(&mut child, &out, |_| true), "the build ended before its staging directory appeared");
    std::thread::sleep(Duration::from_millis(300));
    child.kill().expect("SIGKILL");
    let st = child.wait().expect("wait");
    assert_eq!(st.signal(), Some(9), "{st:?}");
    assert_eq!(snapshot(&out), before, "SIGKILL during extraction changed the dataset");
    assert_eq!(
        litter(tmp.path()).len(),
        1,
        "the killed build's staging directory stays until the next build"
    );

    // 2. SIGKILL late in the write phase: the tables are written and the rankings are
    //    being computed and written (county_year.parquet, summary/) in the staging directory.
    let mut previous = before.clone();
    let mut caught = false;
    for attempt in 0..3 {
        let mut child = start(&input, &out);
        let writing = wait_for(&mut child, &out, |s| {
            s.join("county_year.parquet").exists() || s.join("summary").exists()
        });
        if !writing {
            // The build finished between two polls: it replaced the dataset as it should.
            let st = child.wait().expect("wait");
            assert!(st.success(), "{st:?}");
            previous = snapshot(&out);
            eprintln!("attempt {attempt}: the write phase was not caught; retrying");
            continue;
        }
        child.kill().expect("SIGKILL");
        let st = child.wait().expect("wait");
        if st.success() {
            previous = snapshot(&out);
            eprintln!("attempt {attempt}: the build finished before the kill; retrying");
            continue;
        }
        assert_eq!(st.signal(), Some(9), "{st:?}");
        caught = true;
        break;
    }
    let after_write_kill = snapshot(&out);
    assert!(caught, "could not kill a build in its write phase in 3 attempts");
    assert_eq!(after_write_kill, previous, "SIGKILL while writing changed the dataset");

    // 3. SIGINT (Ctrl-C) while extracting.
    let mut child = start(&input, &out);
    assert!(wait_for(&mut child, &out, |_| true));
    std::thread::sleep(Duration::from_millis(300));
    let k = Command::new("kill").arg("-INT").arg(child.id().to_string()).status().expect("kill -INT");
    assert!(k.success());
    let st = child.wait().expect("wait");
    assert!(!st.success(), "{st:?}");
    assert_eq!(snapshot(&out), previous, "SIGINT changed the dataset");

    // 4. The next successful build clears all litter and replaces the dataset.
    let o = ogi()
        .arg("build")
        .arg(repo().join("data/reports"))
        .arg("--out")
        .arg(&out)
        .arg("-q")
        .output()
        .expect("runs");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(litter(tmp.path()), Vec::<String>::new());
    let again = snapshot(&out);
    for (k, v) in &again {
        if k != Path::new("manifest.json") {
            assert_eq!(
                before.get(k),
                Some(v),
                "{} differs from the first build of the same input",
                k.display()
            );
        }
    }
}

/// Unmounts the tmpfs when the test ends, however it ends.
struct Mount(PathBuf);

impl Drop for Mount {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(&self.0).status();
    }
}

/// A disk that fills up while the tables are written: the build fails (exit 2), the
/// previous dataset is whole, and the staging directory is gone. Needs a tmpfs mount
/// (root); skipped with a message where mounting is not allowed.
#[test]
fn a_full_disk_fails_the_build_and_keeps_the_previous_dataset() {
    let tmp = tempfile::tempdir().expect("tmp");
    let disk = tmp.path().join("disk");
    std::fs::create_dir_all(&disk).expect("mkdir");
    let mounted = Command::new("mount")
        .args(["-t", "tmpfs", "-o", "size=1m", "tmpfs"])
        .arg(&disk)
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !mounted {
        eprintln!("note: cannot mount a tmpfs here (not root?); the disk-full test was skipped");
        return;
    }
    let _unmount = Mount(disk.clone());
    let out = disk.join("dataset");
    let build = |input: &Path| {
        ogi()
            .arg("build")
            .arg(input)
            .arg("--out")
            .arg(&out)
            .args(["-q", "--no-cache"])
            .output()
            .expect("runs")
    };
    assert!(build(&repo().join("data/reports")).status.success());
    let before = snapshot(&out);
    // Fill the disk, then free 8 KB: room for the staging directory, not for the tables.
    {
        use std::io::Write;
        let mut filler = std::fs::File::create(disk.join("filler")).expect("filler");
        let chunk = vec![0u8; 4096];
        while filler.write_all(&chunk).is_ok() {}
        let _ = filler.flush();
        let len = filler.metadata().expect("len").len();
        filler.set_len(len.saturating_sub(8192)).expect("truncate");
    }
    let o = build(&common::fixtures().join("shapes"));
    assert_eq!(o.status.code(), Some(2), "{}", String::from_utf8_lossy(&o.stderr));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("No space left") || err.contains("space"), "{err}");
    assert_eq!(snapshot(&out), before, "a full disk changed the dataset");
    assert_eq!(litter(&disk), Vec::<String>::new(), "the failed build left its staging directory");
}
