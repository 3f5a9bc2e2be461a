//! A test-only pause: `OGI_TEST_HOLD_AT=<stage>` makes a build stop at that stage, say so
//! on stderr, and wait to be killed. The atomicity tests kill builds at named points
//! this way instead of racing a timer against a build that may finish first.

use std::io::Write;
use std::time::Duration;

/// The points a build can be held at, in the order it reaches them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stage {
    /// The staging directory exists and the first files are parsed; nothing is written.
    Extract,
    /// The tables are written and the rankings are in the staging directory.
    Rank,
    /// Between the two renames of the swap: the previous dataset is moved aside.
    Swap,
}

impl Stage {
    fn name(self) -> &'static str {
        match self {
            Stage::Extract => "extract",
            Stage::Rank => "rank",
            Stage::Swap => "swap",
        }
    }
}

/// Holds the build here if `OGI_TEST_HOLD_AT` names this stage: one line on stderr
/// (`ogi: held at <stage>`), then sleep until killed (at most an hour).
pub fn at(stage: Stage) {
    let wanted = std::env::var("OGI_TEST_HOLD_AT").unwrap_or_default();
    if wanted != stage.name() {
        return;
    }
    let mut err = std::io::stderr().lock();
    let _ = writeln!(err, "ogi: held at {}", stage.name());
    let _ = err.flush();
    drop(err);
    std::thread::sleep(Duration::from_secs(3600));
}
