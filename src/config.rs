//! The pipeline file (`pipelines/default.toml`): thresholds for the rankings and
//! limits for the build, read with serde. Unknown keys are errors, so a typo in a
//! threshold name cannot silently fall back to the default.

use anyhow::{Context, Result};
use serde::{Deserialize, Serialize};
use std::path::Path;

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct Pipeline {
    pub rank: RankConfig,
    pub build: BuildConfig,
    pub checks: ChecksConfig,
}

/// Checks across reports (`checks.rs`).
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct ChecksConfig {
    /// A year-over-year change in new requests by more than this factor (either way) is
    /// flagged (`yoy_jump`) …
    pub yoy_factor: f64,
    /// … when the larger of the two years is at least this many requests.
    pub yoy_min_base: i64,
}

impl Default for ChecksConfig {
    fn default() -> Self {
        ChecksConfig { yoy_factor: 10.0, yoy_min_base: 20 }
    }
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct RankConfig {
    pub min_handled_for_rate: i64,
    pub min_prev_requests_for_yoy: i64,
    pub agency_priority: Vec<String>,
    /// Diagnostic codes that keep a report out of the rankings: its numbers contradict
    /// each other, so a rank would be built on a value the report itself disputes.
    pub exclude_codes: Vec<String>,
    /// Write the ranking CSVs with a UTF-8 byte-order mark, for Excel (as `ogi rank
    /// --excel` does).
    pub excel: bool,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct BuildConfig {
    pub max_file_mb: u64,
    /// Wall-clock seconds a file may take to parse, per MiB begun, before it is
    /// recorded as failed (`timeout`); 0 turns the watchdog off.
    pub max_seconds_per_file: f64,
}

impl Default for RankConfig {
    fn default() -> Self {
        RankConfig {
            min_handled_for_rate: 5,
            min_prev_requests_for_yoy: 1,
            agency_priority: vec!["government".into(), "government_office".into()],
            exclude_codes: [
                "identity_broken",
                "row_sum_mismatch",
                "outcome_sum_mismatch",
                "prose_table_conflict",
            ]
            .map(String::from)
            .to_vec(),
            excel: false,
        }
    }
}

impl Default for BuildConfig {
    fn default() -> Self {
        BuildConfig { max_file_mb: 64, max_seconds_per_file: 30.0 }
    }
}

impl Pipeline {
    pub fn load(path: Option<&Path>) -> Result<Pipeline> {
        let Some(path) = path else { return Ok(Pipeline::default()) };
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("reading pipeline file {}", path.display()))?;
        toml::from_str(&text).with_context(|| format!("parsing pipeline file {}", path.display()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_pipeline_parses_and_typos_are_refused() {
        let p =
            Pipeline::load(Some(Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/pipelines/default.toml"))))
                .expect("parses");
        assert_eq!(p.rank.min_handled_for_rate, 5);
        assert_eq!(p.build.max_seconds_per_file, BuildConfig::default().max_seconds_per_file);
        let p: Pipeline =
            toml::from_str("[build]\nmax_seconds_per_file = 5\n").expect("an integer is accepted");
        assert_eq!(p.build.max_seconds_per_file, 5.0);
        assert!(toml::from_str::<Pipeline>("[rank]\nmin_handled = 3\n").is_err());
    }
}
