//! Run-time configuration and the command line that produces it.
//!
//! Contract: [`Config::default`] is what `signalboard-demo` runs with no flags (20 rps of mixed
//! traffic, `normal` scenario, a 10-connection pool). [`parse_args`] never exits the process; it
//! returns [`Command::Help`] or a readable error so `main` decides what to print.

use std::time::Duration;

use crate::scenario::Scenario;

/// Default listen address.
pub const DEFAULT_LISTEN: &str = "127.0.0.1:8000";

/// How the service behaves.
#[derive(Debug, Clone, PartialEq)]
pub struct Config {
    /// Requests per second the built-in load generator sends (Poisson arrivals).
    pub rps: f64,
    /// Whether the load generator starts at `rps`; if not it idles (rate 0) until
    /// `POST /admin/load/{rps}`.
    pub load: bool,
    /// Scenario at start-up.
    pub scenario: Scenario,
    /// Connections in the simulated database pool.
    pub pool_size: u32,
    /// How long a request queues for a connection before failing with 503.
    pub pool_timeout: Duration,
    /// How long cached user and search results live.
    pub cache_ttl: Duration,
    /// Probability of an unexplained 500 in the `normal` scenario (background noise).
    pub baseline_error_rate: f64,
    /// Seed for simulated latencies and the load mix; `None` seeds from the clock.
    pub seed: Option<u64>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            rps: 20.0,
            load: true,
            scenario: Scenario::Normal,
            pool_size: 10,
            pool_timeout: Duration::from_secs(2),
            cache_ttl: Duration::from_secs(5),
            baseline_error_rate: 0.002,
            seed: None,
        }
    }
}

/// What the command line asked for.
#[derive(Debug, Clone, PartialEq)]
pub enum Command {
    /// Serve on `listen` with `config`.
    Run { listen: String, config: Config },
    /// Print [`USAGE`].
    Help,
}

/// `--help` text.
pub const USAGE: &str = "\
signalboard-demo: an instrumented HTTP service that drives itself with synthetic traffic

USAGE: signalboard-demo [OPTIONS]

OPTIONS:
  --listen ADDR        address to listen on (default 127.0.0.1:8000)
  --rps N              load generator rate in requests/second (default 20)
  --no-load            do not start the load generator
  --scenario NAME      normal | degraded | latency-spike | error-burst | pool-saturation |
                       dependency-down (default normal)
  --pool-size N        simulated database pool size (default 10)
  --error-rate P       background 5xx probability in the normal scenario (default 0.002)
  --seed N             seed for simulated latencies and the traffic mix
  -h, --help           print this help

Switch scenarios at run time with POST /admin/scenario/<name> (GET /admin/scenario shows the current one),
change the traffic rate with POST /admin/load/<rps>, and take a dependency down with
POST /admin/dependency/<database|cache|payment-api>/<up|down>.";

/// Parses command-line arguments (without the program name).
pub fn parse_args<I, S>(args: I) -> Result<Command, String>
where
    I: IntoIterator<Item = S>,
    S: Into<String>,
{
    let mut listen = DEFAULT_LISTEN.to_string();
    let mut config = Config::default();
    let mut args = args.into_iter().map(Into::into);
    while let Some(arg) = args.next() {
        // Accept both `--flag value` and `--flag=value`.
        let (flag, inline) = match arg.split_once('=') {
            Some((flag, value)) if flag.starts_with("--") => {
                (flag.to_string(), Some(value.to_string()))
            }
            _ => (arg.clone(), None),
        };
        let mut value = || {
            inline
                .clone()
                .or_else(|| args.next())
                .ok_or_else(|| format!("{flag} needs a value"))
        };
        match flag.as_str() {
            "-h" | "--help" => return Ok(Command::Help),
            "--listen" => listen = value()?,
            "--rps" => config.rps = parse_number(&flag, &value()?, 0.0, 10_000.0)?,
            "--no-load" => config.load = false,
            "--scenario" => config.scenario = value()?.parse()?,
            "--pool-size" => {
                let raw = value()?;
                config.pool_size = raw
                    .parse()
                    .ok()
                    .filter(|size| (1..=10_000).contains(size))
                    .ok_or_else(|| {
                        format!("--pool-size: `{raw}` is not a whole number in 1..=10000")
                    })?;
            }
            "--error-rate" => {
                config.baseline_error_rate = parse_number(&flag, &value()?, 0.0, 1.0)?
            }
            "--seed" => {
                let raw = value()?;
                config.seed = Some(
                    raw.parse()
                        .map_err(|_| format!("--seed: `{raw}` is not an unsigned integer"))?,
                );
            }
            other => return Err(format!("unknown argument `{other}` (try --help)")),
        }
    }
    Ok(Command::Run { listen, config })
}

fn parse_number(flag: &str, raw: &str, min: f64, max: f64) -> Result<f64, String> {
    let number: f64 = raw
        .parse()
        .map_err(|_| format!("{flag}: `{raw}` is not a number"))?;
    if !(min..=max).contains(&number) {
        return Err(format!("{flag}: {number} is outside {min}..={max}"));
    }
    Ok(number)
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

    fn run(args: &[&str]) -> (String, Config) {
        match parse_args(args.iter().copied()).unwrap() {
            Command::Run { listen, config } => (listen, config),
            Command::Help => panic!("unexpected help"),
        }
    }

    #[test]
    fn defaults() {
        let (listen, config) = run(&[]);
        assert_eq!(listen, "127.0.0.1:8000");
        assert_eq!(config, Config::default());
        assert_eq!(config.rps, 20.0);
        assert!(config.load);
    }

    #[test]
    fn all_flags_both_spellings() {
        let (listen, config) = run(&[
            "--listen=0.0.0.0:9000",
            "--rps",
            "5",
            "--no-load",
            "--scenario",
            "error-burst",
            "--pool-size=4",
            "--seed",
            "9",
            "--error-rate",
            "0",
        ]);
        assert_eq!(listen, "0.0.0.0:9000");
        assert_eq!(config.rps, 5.0);
        assert!(!config.load);
        assert_eq!(config.scenario, Scenario::ErrorBurst);
        assert_eq!(config.pool_size, 4);
        assert_eq!(config.seed, Some(9));
        assert_eq!(config.baseline_error_rate, 0.0);
    }

    #[test]
    fn errors_are_readable() {
        let err = |args: &[&str]| parse_args(args.iter().copied()).unwrap_err();
        assert!(err(&["--rps"]).contains("needs a value"));
        assert!(err(&["--rps", "fast"]).contains("not a number"));
        assert!(err(&["--rps", "-1"]).contains("outside"));
        assert!(err(&["--scenario", "boom"]).contains("unknown scenario"));
        assert!(err(&["--frobnicate"]).contains("unknown argument"));
        assert!(err(&["--pool-size", "2.5"]).contains("whole number"));
        assert!(err(&["--pool-size", "0"]).contains("whole number"));
        assert_eq!(parse_args(["--help"]).unwrap(), Command::Help);
    }
}
