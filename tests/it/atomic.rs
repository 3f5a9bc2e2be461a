//! Atomic output under kill (issue 6): `ogi build` killed with SIGKILL (during
//! extraction, after writing, between the swap's renames) or interrupted with SIGINT
//! leaves the previous dataset byte for byte as it was, and the next successful build
//! leaves no `.dataset.tmp-*` / `.dataset.old-*` litter behind. Each build is held at
//! its stage by the test-only hook `OGI_TEST_HOLD_AT`, so no timing is involved.

use crate::common::{ogi, repo, snapshot};
use std::io::{BufRead, BufReader};
use std::os::unix::process::ExitStatusExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

/// Enough reports for more than one chunk of work: the samples, each copied 60 times
/// with a line of its own appended (so every copy has its own report_id).
fn corpus(dir: &Path) -> usize {
    let samples: Vec<(String, Vec<u8>)> = std::fs::read_dir(repo().join("data/reports"))
        .expect("ls")
        .flatten()
        .map(|e| (e.file_name().to_string_lossy().into_owned(), std::fs::read(e.path()).expect("read")))
        .collect();
    let mut n = 0;
    for i in 0..60 {
        let sub = dir.join(format!("batch{:02}", i % 10));
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

/// A build of `input` into `out` held at `stage` (the test-only hook
/// `OGI_TEST_HOLD_AT`): returns once the build says it is held there, so the signal
/// that follows lands at that point on any machine, however fast.
fn held_at(input: &Path, out: &Path, stage: &str) -> Child {
    let mut child = ogi()
        .arg("build")
        .arg(input)
        .arg("--out")
        .arg(out)
        .arg("--quiet")
        .arg("--no-cache")
        .env("OGI_TEST_HOLD_AT", stage)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn ogi build");
    let err = child.stderr.take().expect("stderr");
    let mut said = String::new();
    for line in BufReader::new(err).lines() {
        let line = line.expect("stderr line");
        said.push_str(&line);
        said.push('\n');
        if line == format!("ogi: held at {stage}") {
            return child;
        }
    }
    let st = child.wait().expect("wait");
    panic!("the build ended ({st:?}) without reaching {stage}: {said}");
}

fn kill(mut child: Child) {
    child.kill().expect("SIGKILL");
    let st = child.wait().expect("wait");
    assert_eq!(st.signal(), Some(9), "{st:?}");
}

fn litter(parent: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(parent)
        .expect("ls")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".dataset.tmp-") || n.starts_with(".dataset.old-"))
        .collect();
    names.sort();
    names
}

fn build(input: &Path, out: &Path) {
    let o = ogi().arg("build").arg(input).arg("--out").arg(out).arg("-q").output().expect("runs");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
}

#[test]
fn killed_or_interrupted_builds_leave_the_previous_dataset_whole() {
    let tmp = tempfile::tempdir().expect("tmp");
    let input = tmp.path().join("corpus");
    assert!(corpus(&input) >= 300);
    let out = tmp.path().join("dataset");
    build(&repo().join("data/reports"), &out);
    let before = snapshot(&out);
    assert!(before.len() >= 12, "{:?}", before.keys());

    // 1. SIGKILL while extracting: the staging directory exists, nothing is written.
    kill(held_at(&input, &out, "extract"));
    assert_eq!(snapshot(&out), before, "SIGKILL during extraction changed the dataset");
    assert_eq!(
        litter(tmp.path()).len(),
        1,
        "the killed build's staging directory stays until the next build"
    );

    // 2. SIGKILL after the tables and the rankings are written into the staging directory.
    let child = held_at(&input, &out, "rank");
    let staged = litter(tmp.path());
    assert_eq!(staged.len(), 1, "the previous build's litter went when this one started: {staged:?}");
    let staging = tmp.path().join(&staged[0]);
    assert!(staging.join("requests.parquet").is_file() && staging.join("county_year.parquet").is_file());
    kill(child);
    assert_eq!(snapshot(&out), before, "SIGKILL after writing changed the dataset");

    // 3. SIGKILL between the swap's two renames: the previous dataset is aside, whole,
    //    and the next build puts it back before it does anything else.
    kill(held_at(&input, &out, "swap"));
    assert!(!out.exists(), "held between the renames, the previous dataset is moved aside");
    let child = held_at(&input, &out, "extract");
    assert_eq!(snapshot(&out), before, "the next build did not restore the dataset moved aside");
    kill(child);

    // 4. SIGINT (Ctrl-C) while extracting.
    let child = held_at(&input, &out, "extract");
    let k = Command::new("kill").arg("-INT").arg(child.id().to_string()).status().expect("kill -INT");
    assert!(k.success());
    let mut child = child;
    let st = child.wait().expect("wait");
    assert!(!st.success(), "{st:?}");
    assert_eq!(snapshot(&out), before, "SIGINT changed the dataset");

    // 5. The next successful build clears all litter and gives the same dataset again.
    build(&repo().join("data/reports"), &out);
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
    let o = build(&crate::common::fixtures().join("shapes"));
    assert_eq!(o.status.code(), Some(2), "{}", String::from_utf8_lossy(&o.stderr));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("No space left") || err.contains("space"), "{err}");
    assert_eq!(snapshot(&out), before, "a full disk changed the dataset");
    assert_eq!(litter(&disk), Vec::<String>::new(), "the failed build left its staging directory");
}
