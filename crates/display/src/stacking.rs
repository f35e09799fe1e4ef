//! Time series stacking (`custom.stacking`) and value transforms (`custom.transform`),
//! as Grafana prepares series for drawing (`getStackingGroups` + `preparePlotData2`).
//!
//! Contract of [`stack`]:
//! - Series are grouped by (direction, mode, `stacking.group`, scale key); direction is
//!   up when the first non-null value (after the transform's sign) is ≥ 0, else down.
//! - `negative-Y` negates every value; `constant` keeps only the first non-null value.
//! - Within a group, values accumulate in series order. A null stays null, except at
//!   timestamps where some series of the group has a value — there it takes the running
//!   total, so areas do not collapse to zero.
//! - `percent` divides each stacked value by the group total at that timestamp (0 when
//!   the total is 0), signed by the group direction.
//! - Hidden series (`hideFrom.viz`) are returned unchanged and take no part.
//! - All series must have the same length (one shared time axis); shorter ones read as null.

/// `custom.stacking.mode`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum StackingMode {
    #[default]
    None,
    Normal,
    Percent,
}

/// `custom.transform`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Transform {
    #[default]
    None,
    NegativeY,
    Constant,
}

/// One series as stacking sees it.
#[derive(Debug, Clone, Default)]
pub struct StackInput {
    pub values: Vec<Option<f64>>,
    pub mode: StackingMode,
    /// `custom.stacking.group` (Grafana's default is `"A"`).
    pub group: String,
    pub transform: Transform,
    /// `custom.hideFrom.viz`.
    pub hidden: bool,
    /// Which y scale the series is drawn on (unit / axis); series on different scales
    /// never stack together.
    pub scale_key: String,
}

/// A stacking group: member series indices and direction (+1 up, −1 down).
struct Group {
    key: (i8, StackingMode, String, String),
    members: Vec<usize>,
}

fn direction(s: &StackInput) -> i8 {
    let first = s.values.iter().flatten().next().copied();
    // `undefined >= 0` is false in Grafana: an all-null series stacks down (up when
    // negated).
    let non_negative = first.is_some_and(|v| v >= 0.0);
    let up = match s.transform {
        Transform::NegativeY => !non_negative,
        Transform::None | Transform::Constant => non_negative,
    };
    if up {
        1
    } else {
        -1
    }
}

/// The stack a series belongs to: (direction, mode, group, scale key); `None` when it does
/// not stack (hidden, or mode `none`). Series stack on the ones before them with the same key.
pub fn stack_key(s: &StackInput) -> Option<(i8, StackingMode, String, String)> {
    if s.hidden || s.mode == StackingMode::None {
        return None;
    }
    Some((direction(s), s.mode, s.group.clone(), s.scale_key.clone()))
}

fn groups(series: &[StackInput]) -> Vec<Group> {
    let mut out: Vec<Group> = Vec::new();
    for (i, s) in series.iter().enumerate() {
        let Some(key) = stack_key(s) else {
            continue;
        };
        match out.iter_mut().find(|g| g.key == key) {
            Some(g) => g.members.push(i),
            None => out.push(Group {
                key,
                members: vec![i],
            }),
        }
    }
    out
}

fn transformed(s: &StackInput) -> Vec<Option<f64>> {
    match s.transform {
        Transform::None => s.values.clone(),
        Transform::NegativeY => s.values.iter().map(|v| v.map(|x| -x)).collect(),
        Transform::Constant => {
            let first = s.values.iter().position(Option::is_some);
            (0..s.values.len())
                .map(|i| {
                    if Some(i) == first {
                        s.values.get(i).copied().flatten()
                    } else {
                        None
                    }
                })
                .collect()
        }
    }
}

/// Stacks and transforms `series`; see module docs. Returns one output per input.
pub fn stack(series: &[StackInput]) -> Vec<Vec<Option<f64>>> {
    let len = series.iter().map(|s| s.values.len()).max().unwrap_or(0);
    let mut out: Vec<Vec<Option<f64>>> = series
        .iter()
        .map(|s| {
            if s.hidden {
                s.values.clone()
            } else {
                transformed(s)
            }
        })
        .collect();
    for group in groups(series) {
        let mut any_at = vec![false; len];
        for s in group.members.iter().filter_map(|m| series.get(*m)) {
            for (flag, v) in any_at.iter_mut().zip(&s.values) {
                *flag |= v.is_some();
            }
        }
        let mut accum = vec![0.0; len];
        for &m in &group.members {
            let Some(values) = out.get_mut(m) else {
                continue;
            };
            values.resize(len, None);
            for (i, slot) in values.iter_mut().enumerate() {
                let Some(total) = accum.get_mut(i) else {
                    continue;
                };
                *slot = match *slot {
                    Some(v) => {
                        *total += v;
                        Some(*total)
                    }
                    None if any_at.get(i).copied().unwrap_or(false) => Some(*total),
                    None => None,
                };
            }
        }
        if group.key.1 == StackingMode::Percent {
            let dir = f64::from(group.key.0);
            for &m in &group.members {
                let Some(values) = out.get_mut(m) else {
                    continue;
                };
                for (slot, total) in values.iter_mut().zip(&accum) {
                    if let Some(v) = slot {
                        *v = if *total == 0.0 {
                            0.0
                        } else {
                            dir * (*v / total)
                        };
                    }
                }
            }
        }
    }
    out
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

    fn input(values: &[Option<f64>], mode: StackingMode) -> StackInput {
        StackInput {
            values: values.to_vec(),
            mode,
            group: "A".into(),
            ..StackInput::default()
        }
    }

    #[test]
    fn normal_stacking_accumulates() {
        let a = input(&[Some(1.0), Some(2.0), None, None], StackingMode::Normal);
        let b = input(&[Some(10.0), None, Some(5.0), None], StackingMode::Normal);
        let out = stack(&[a, b]);
        assert_eq!(out[0], vec![Some(1.0), Some(2.0), Some(0.0), None]);
        // A null where the group has values takes the running total; a fully empty
        // timestamp stays a gap.
        assert_eq!(out[1], vec![Some(11.0), Some(2.0), Some(5.0), None]);
    }

    #[test]
    fn percent_stacking() {
        let a = input(&[Some(1.0), Some(0.0)], StackingMode::Percent);
        let b = input(&[Some(3.0), Some(0.0)], StackingMode::Percent);
        let out = stack(&[a, b]);
        assert_eq!(out[0], vec![Some(0.25), Some(0.0)]);
        assert_eq!(out[1], vec![Some(1.0), Some(0.0)]);
    }

    #[test]
    fn directions_groups_and_transforms() {
        let up = input(&[Some(1.0), Some(1.0)], StackingMode::Normal);
        let down = input(&[Some(-2.0), Some(-2.0)], StackingMode::Normal);
        let up2 = input(&[Some(3.0), Some(3.0)], StackingMode::Normal);
        let mut negated = input(&[Some(4.0), Some(4.0)], StackingMode::Normal);
        negated.transform = Transform::NegativeY;
        let mut other_axis = input(&[Some(5.0), Some(5.0)], StackingMode::Normal);
        other_axis.scale_key = "bytes".into();
        let mut hidden = input(&[Some(6.0), Some(6.0)], StackingMode::Normal);
        hidden.hidden = true;
        let plain = input(&[Some(7.0), None], StackingMode::None);
        let out = stack(&[up, down, up2, negated, other_axis, hidden, plain]);
        assert_eq!(out[0], vec![Some(1.0), Some(1.0)]);
        assert_eq!(out[1], vec![Some(-2.0), Some(-2.0)]);
        assert_eq!(
            out[2],
            vec![Some(4.0), Some(4.0)],
            "stacks on the first up series"
        );
        assert_eq!(
            out[3],
            vec![Some(-6.0), Some(-6.0)],
            "negated, stacks with the down group"
        );
        assert_eq!(out[4], vec![Some(5.0), Some(5.0)], "own scale, own group");
        assert_eq!(out[5], vec![Some(6.0), Some(6.0)], "hidden: untouched");
        assert_eq!(out[6], vec![Some(7.0), None], "not stacked");
    }

    #[test]
    fn constant_transform_keeps_the_first_value() {
        let mut c = input(&[None, Some(2.0), Some(3.0)], StackingMode::None);
        c.transform = Transform::Constant;
        assert_eq!(stack(&[c])[0], vec![None, Some(2.0), None]);
    }
}
