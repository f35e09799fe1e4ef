//! Calendar functions (`year`, `month`, `day_of_month`, `day_of_week`, `day_of_year`,
//! `days_in_month`, `hour`, `minute`) over Unix-seconds values, in UTC.
//!
//! Contract: without an argument they apply to `vector(time())`; values are truncated to
//! whole seconds like Go's `time.Unix(int64(v), 0)`. Output drops `__name__`.

use promql_parser::parser::Expr;
use signalboard_store::Labels;

use super::map_values;
use crate::engine::{Evaluator, Sample, Val};
use crate::QueryError;

impl Evaluator<'_> {
    pub(crate) fn eval_time_function(
        &self,
        name: &str,
        args: &[&Expr],
        t: i64,
    ) -> Result<Option<Val>, QueryError> {
        let Some(f) = calendar_fn(name) else {
            return Ok(None);
        };
        let input = match args.first() {
            Some(e) => self.eval_vector(e, t)?,
            None => vec![Sample {
                labels: Labels::empty(),
                v: t as f64 / 1000.0,
                drop_name: false,
            }],
        };
        Ok(Some(Val::Vector(map_values(input, move |v| {
            if v.is_nan() || v.is_infinite() {
                return f64::NAN;
            }
            f(&Civil::from_unix(v as i64))
        }))))
    }
}

fn calendar_fn(name: &str) -> Option<fn(&Civil) -> f64> {
    Some(match name {
        "year" => |c| c.year as f64,
        "month" => |c| f64::from(c.month),
        "day_of_month" => |c| f64::from(c.day),
        "day_of_week" => |c| f64::from(c.weekday),
        "day_of_year" => |c| f64::from(c.yday),
        "days_in_month" => |c| f64::from(days_in_month(c.year, c.month)),
        "hour" => |c| f64::from(c.hour),
        "minute" => |c| f64::from(c.minute),
        _ => return None,
    })
}

/// A UTC calendar breakdown of a Unix time.
struct Civil {
    year: i64,
    month: u32,
    day: u32,
    hour: u32,
    minute: u32,
    /// 0 = Sunday.
    weekday: u32,
    /// 1-based day of the year.
    yday: u32,
}

impl Civil {
    fn from_unix(secs: i64) -> Self {
        let days = secs.div_euclid(86_400);
        let sod = secs.rem_euclid(86_400);
        let (year, month, day) = civil_from_days(days);
        let before: u32 = (1..month).map(|m| days_in_month(year, m)).sum();
        Civil {
            year,
            month,
            day,
            hour: (sod / 3600) as u32,
            minute: ((sod % 3600) / 60) as u32,
            weekday: (days + 4).rem_euclid(7) as u32,
            yday: before + day,
        }
    }
}

/// Howard Hinnant's days → (year, month, day) algorithm.
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

fn days_in_month(year: i64, month: u32) -> u32 {
    match month {
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}
