//! Standard `process_*` metrics (CPU, memory, file descriptors, threads, start time), read from
//! `/proc/self` on every scrape.
//!
//! Contract: names and meanings follow the Prometheus client conventions (`process_cpu_seconds_total`,
//! `process_resident_memory_bytes`, `process_open_fds`, `process_max_fds`,
//! `process_start_time_seconds`, ...). Where `/proc` is unavailable (not Linux) a metric is simply
//! left out; reading never fails a scrape. `prometheus-client` has no process collector of its
//! own, so this is a small hand-written one.

use prometheus_client::collector::Collector;
use prometheus_client::encoding::{DescriptorEncoder, EncodeMetric};
use prometheus_client::metrics::counter::ConstCounter;
use prometheus_client::metrics::gauge::ConstGauge;
use prometheus_client::registry::Unit;

/// Linux reports CPU times in clock ticks; USER_HZ is 100 on every mainstream architecture.
const CLOCK_TICKS_PER_SECOND: f64 = 100.0;

/// A point-in-time reading of the process' resources.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ProcessStats {
    pub cpu_seconds: Option<f64>,
    pub resident_bytes: Option<f64>,
    pub virtual_bytes: Option<f64>,
    pub threads: Option<f64>,
    pub start_time_seconds: Option<f64>,
    pub open_fds: Option<f64>,
    pub max_fds: Option<f64>,
}

impl ProcessStats {
    /// Reads `/proc/self/{stat,status,fd,limits}` and `/proc/stat`.
    pub fn read() -> Self {
        let stat = std::fs::read_to_string("/proc/self/stat").ok();
        let fields = stat.as_deref().map(stat_fields).unwrap_or_default();
        let field = |index: usize| fields.get(index).and_then(|f| f.parse::<f64>().ok());
        // Indexes count from field 3 (`state`), the first one after the parenthesised command.
        let cpu_seconds = field(11)
            .zip(field(12))
            .map(|(user, system)| (user + system) / CLOCK_TICKS_PER_SECOND);
        let start_time_seconds = field(19)
            .zip(boot_time_seconds())
            .map(|(ticks, boot)| boot + ticks / CLOCK_TICKS_PER_SECOND);
        ProcessStats {
            cpu_seconds,
            resident_bytes: status_kib("VmRSS:").map(|kib| kib * 1024.0),
            virtual_bytes: field(20),
            threads: field(17),
            start_time_seconds,
            open_fds: std::fs::read_dir("/proc/self/fd")
                .ok()
                .map(|dir| dir.count() as f64),
            max_fds: max_open_files(),
        }
    }
}

/// The whitespace-separated fields after `pid (comm) `; `comm` may itself contain spaces.
fn stat_fields(stat: &str) -> Vec<String> {
    stat.rsplit_once(')')
        .map(|(_, rest)| rest.split_whitespace().map(str::to_string).collect())
        .unwrap_or_default()
}

fn boot_time_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/stat").ok()?;
    stat.lines()
        .find_map(|line| line.strip_prefix("btime "))
        .and_then(|value| value.trim().parse().ok())
}

fn status_kib(key: &str) -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|line| line.starts_with(key))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn max_open_files() -> Option<f64> {
    let limits = std::fs::read_to_string("/proc/self/limits").ok()?;
    let line = limits.lines().find(|l| l.starts_with("Max open files"))?;
    // Columns: name (3 words), soft limit, hard limit, units.
    line.split_whitespace().nth(3)?.parse().ok()
}

/// Registers as a `prometheus-client` collector; reads fresh stats on every scrape.
#[derive(Debug, Clone, Copy, Default)]
pub struct ProcessCollector;

impl Collector for ProcessCollector {
    fn encode(&self, mut encoder: DescriptorEncoder) -> Result<(), std::fmt::Error> {
        let stats = ProcessStats::read();
        if let Some(cpu) = stats.cpu_seconds {
            let counter = ConstCounter::new(cpu);
            let metric = encoder.encode_descriptor(
                "process_cpu",
                "Total user and system CPU time spent.",
                Some(&Unit::Seconds),
                counter.metric_type(),
            )?;
            counter.encode(metric)?;
        }
        let gauges = [
            (
                "process_resident_memory",
                "Resident memory size.",
                Some(Unit::Bytes),
                stats.resident_bytes,
            ),
            (
                "process_virtual_memory",
                "Virtual memory size.",
                Some(Unit::Bytes),
                stats.virtual_bytes,
            ),
            (
                "process_start_time",
                "Start time of the process since the Unix epoch.",
                Some(Unit::Seconds),
                stats.start_time_seconds,
            ),
            (
                "process_open_fds",
                "Number of open file descriptors.",
                None,
                stats.open_fds,
            ),
            (
                "process_max_fds",
                "Maximum number of open file descriptors.",
                None,
                stats.max_fds,
            ),
            (
                "process_threads",
                "Number of OS threads in the process.",
                None,
                stats.threads,
            ),
        ];
        for (name, help, unit, value) in gauges {
            let Some(value) = value else { continue };
            let gauge = ConstGauge::new(value);
            let metric =
                encoder.encode_descriptor(name, help, unit.as_ref(), gauge.metric_type())?;
            gauge.encode(metric)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    #![allow(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::indexing_slicing,
        clippy::panic
    )]
    use super::*;

    #[test]
    fn stat_fields_survive_spaces_in_the_command_name() {
        let fields = stat_fields("42 (my (odd) app) S 1 42 42 0 -1 4194560 100");
        assert_eq!(fields[0], "S");
        assert_eq!(fields[1], "1");
        assert_eq!(fields.len(), 8);
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn reads_plausible_values_on_linux() {
        let stats = ProcessStats::read();
        assert!(stats.resident_bytes.unwrap() > 1024.0 * 1024.0);
        assert!(stats.open_fds.unwrap() >= 3.0);
        assert!(stats.max_fds.unwrap() >= stats.open_fds.unwrap());
        assert!(stats.threads.unwrap() >= 1.0);
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_secs_f64();
        let start = stats.start_time_seconds.unwrap();
        assert!(
            start <= now + 1.0 && start > now - 86_400.0 * 365.0,
            "start {start}"
        );
    }
}
