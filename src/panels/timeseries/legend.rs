//! The time series legend (HTML, not canvas), as Grafana's `options.legend` says: `showLegend`
//! / `displayMode` (`list`, `table`, `hidden`), `placement` (`bottom`, `right`; the panel
//! lays that out), `calcs` (reducer ids, shown under Grafana's names — `Mean`, `Max`,
//! `Last *` — in the field's unit) and `sortBy` / `sortDesc` (a calc's name or `Name`).
//! In table mode clicking a column header sorts by it (again: reverses). Clicking an entry
//! isolates its series (clicking the isolated one again shows all), ctrl/cmd-click toggles
//! one; the hidden set is shared with the chart, which redraws when it changes. Series with
//! `custom.hideFrom.legend` have no entry.
//!
//! Automation: entries carry `data-legend` (the series name); table cells carry
//! `data-calc` (the reducer id) and `data-value` (the raw number, empty for none).

use std::cmp::Ordering;
use std::sync::Arc;

use leptos::prelude::*;
use signalboard_core::dashboard::{LegendDisplayMode, LegendOptions, Panel};
use signalboard_core::display::reducers;

use super::super::field::{current_theme, effective_config, reduce};
use super::super::DataMemo;
use super::{fmt, series_color};

/// One legend calc of one series.
#[derive(Clone, Debug, PartialEq)]
pub struct CalcValue {
    pub value: Option<f64>,
    pub text: String,
}

/// Legend entry: name, colour, and the legend calcs in `options.legend.calcs` order.
#[derive(Clone, Debug, PartialEq)]
pub struct LegendItem {
    pub index: usize,
    pub name: String,
    pub color: String,
    pub calcs: Vec<CalcValue>,
}

/// Grafana's column title of a calc (`Mean`, `Last *`); the id itself when unknown.
fn calc_title(calc: &str) -> String {
    reducers::reducer_name(calc).unwrap_or_else(|| calc.to_string())
}

fn calc_value(value: Option<f64>, calc: &str, unit: &str, decimals: Option<u32>) -> CalcValue {
    // `count` and the like are plain numbers whatever the field's unit.
    let unit = if reducers::reducer_preserves_units(calc) {
        unit
    } else {
        ""
    };
    CalcValue {
        value,
        text: value.map_or_else(|| "-".into(), |v| fmt(v, unit, decimals)),
    }
}

/// The legend entries of the panel's current data (re-computed on new data or theme).
pub fn legend_items(
    panel: Arc<Panel>,
    data: DataMemo,
    calcs: Vec<String>,
) -> Memo<Vec<LegendItem>> {
    Memo::new(move |_| {
        let theme = current_theme();
        data.with(|(d, _)| {
            d.series
                .iter()
                .enumerate()
                .map(|(i, s)| (i, s, effective_config(&panel, s)))
                // `custom.hideFrom.legend` (Grafana's "hide in area: legend").
                .filter(|(_, _, cfg)| !cfg.custom.hide_from.is_some_and(|h| h.legend))
                .map(|(i, s, cfg)| {
                    let unit = cfg.unit.clone().unwrap_or_default();
                    LegendItem {
                        index: i,
                        name: cfg.display_name.clone().unwrap_or_else(|| s.name.clone()),
                        color: series_color(&cfg, i, &s.name, theme),
                        calcs: calcs
                            .iter()
                            .map(|c| calc_value(reduce(s, c), c, &unit, cfg.decimals))
                            .collect(),
                    }
                })
                .collect()
        })
    })
}

/// The sort column: `Name` or a calc's title (Grafana's `sortBy`), and descending.
#[derive(Clone, Debug, PartialEq)]
struct SortBy {
    key: String,
    desc: bool,
}

/// `items` ordered by `sort`; series without a value go last either way (as in Grafana).
fn sorted(mut items: Vec<LegendItem>, sort: Option<&SortBy>, calcs: &[String]) -> Vec<LegendItem> {
    let Some(sort) = sort else { return items };
    if sort.key.eq_ignore_ascii_case("name") {
        items.sort_by(|a, b| a.name.cmp(&b.name));
        if sort.desc {
            items.reverse();
        }
        return items;
    }
    let Some(col) = calcs
        .iter()
        .position(|c| calc_title(c) == sort.key || *c == sort.key)
    else {
        return items;
    };
    let value = |item: &LegendItem| {
        item.calcs
            .get(col)
            .and_then(|c| c.value)
            .filter(|v| !v.is_nan())
    };
    items.sort_by(|a, b| match (value(a), value(b)) {
        (Some(x), Some(y)) if sort.desc => y.partial_cmp(&x).unwrap_or(Ordering::Equal),
        (Some(x), Some(y)) => x.partial_cmp(&y).unwrap_or(Ordering::Equal),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => Ordering::Equal,
    });
    items
}

/// Grafana's legend click: isolate `index`, or with `toggle` (ctrl/cmd) flip it alone.
fn click(hidden: &mut Vec<usize>, index: usize, count: usize, toggle: bool) {
    if toggle {
        if let Some(pos) = hidden.iter().position(|x| *x == index) {
            hidden.remove(pos);
        } else {
            hidden.push(index);
        }
    } else if hidden.len() == count.saturating_sub(1) && !hidden.contains(&index) {
        hidden.clear(); // clicking the isolated series again shows all
    } else {
        *hidden = (0..count).filter(|i| *i != index).collect();
    }
}

/// A header click: sort by `key`, or reverse when it already sorts by it.
fn next_sort(current: Option<SortBy>, key: String) -> Option<SortBy> {
    match current {
        Some(s) if s.key == key => Some(SortBy { key, desc: !s.desc }),
        _ => Some(SortBy { key, desc: true }),
    }
}

#[component]
pub fn Legend(
    items: Memo<Vec<LegendItem>>,
    hidden: RwSignal<Vec<usize>>,
    options: LegendOptions,
) -> impl IntoView {
    let show = options.show && options.display_mode != LegendDisplayMode::Hidden;
    let table = options.display_mode == LegendDisplayMode::Table;
    let calcs = Arc::new(options.calcs.clone());
    let sort = RwSignal::new(
        options
            .sort_by
            .clone()
            .filter(|k| !k.is_empty())
            .map(|key| SortBy {
                key,
                desc: options.sort_desc,
            }),
    );
    let on_click = move |index: usize, ev: leptos::ev::MouseEvent| {
        let count = items.with_untracked(|l| l.len());
        hidden.update(|h| click(h, index, count, ev.ctrl_key() || ev.meta_key()));
    };
    let shown = {
        let calcs = calcs.clone();
        move || sorted(items.get(), sort.get().as_ref(), &calcs)
    };
    let class_of = move |i: usize| {
        move || {
            if hidden.get().contains(&i) {
                "item hidden"
            } else {
                "item"
            }
        }
    };
    if !show {
        return ().into_any();
    }
    if table {
        let headers = calcs
            .iter()
            .map(|c| {
                let title = calc_title(c);
                let key = title.clone();
                let arrow = {
                    let key = key.clone();
                    move || match sort.get() {
                        Some(s) if s.key == key => {
                            if s.desc {
                                " ↓"
                            } else {
                                " ↑"
                            }
                        }
                        _ => "",
                    }
                };
                view! {
                    <th data-sort-key=title.clone()
                        on:click=move |_| sort.update(|s| *s = next_sort(s.take(), key.clone()))>
                        {title.clone()}{arrow}
                    </th>
                }
            })
            .collect_view();
        let ids = calcs.clone();
        return view! {
            <div class="legend legend-table-wrap">
                <table class="legend-table" data-legend-table="">
                    <thead><tr><th></th>{headers}</tr></thead>
                    <tbody>
                        {move || shown().into_iter().map(|item| {
                            let i = item.index;
                            let cells = item.calcs.iter().zip(ids.iter()).map(|(c, id)| view! {
                                <td data-calc=id.clone() data-value=c.value.map(|v| v.to_string()).unwrap_or_default()>
                                    {c.text.clone()}
                                </td>
                            }).collect_view();
                            view! {
                                <tr class=class_of(i) data-legend=item.name.clone() on:click=move |ev| on_click(i, ev)>
                                    <td class="legend-name">
                                        <span class="swatch" prop:style=format!("background:{}", item.color)></span>
                                        {item.name.clone()}
                                    </td>
                                    {cells}
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        }
        .into_any();
    }
    let titles: Vec<String> = calcs.iter().map(|c| calc_title(c)).collect();
    view! {
        <div class="legend">
            {move || shown().into_iter().map(|item| {
                let i = item.index;
                let hints = item.calcs.iter().zip(titles.iter()).map(|(c, t)| {
                    view! { <span class="hint">" "{t.clone()}": "{c.text.clone()}</span> }
                }).collect_view();
                view! {
                    <span class=class_of(i) data-legend=item.name.clone() on:click=move |ev| on_click(i, ev)>
                        <span class="swatch" prop:style=format!("background:{}", item.color)></span>
                        {item.name.clone()}
                        {hints}
                    </span>
                }
            }).collect_view()}
        </div>
    }
    .into_any()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(index: usize, name: &str, max: Option<f64>) -> LegendItem {
        LegendItem {
            index,
            name: name.into(),
            color: String::new(),
            calcs: vec![CalcValue {
                value: max,
                text: String::new(),
            }],
        }
    }

    fn names(items: &[LegendItem]) -> Vec<&str> {
        items.iter().map(|i| i.name.as_str()).collect()
    }

    #[test]
    fn sorts_by_calc_title_with_missing_values_last() {
        let items = vec![
            item(0, "a", Some(2.0)),
            item(1, "b", None),
            item(2, "c", Some(5.0)),
        ];
        let calcs = vec!["max".to_string()];
        let desc = SortBy {
            key: "Max".into(),
            desc: true,
        };
        assert_eq!(
            names(&sorted(items.clone(), Some(&desc), &calcs)),
            ["c", "a", "b"]
        );
        let asc = SortBy {
            key: "Max".into(),
            desc: false,
        };
        assert_eq!(
            names(&sorted(items.clone(), Some(&asc), &calcs)),
            ["a", "c", "b"]
        );
        let by_name = SortBy {
            key: "Name".into(),
            desc: true,
        };
        assert_eq!(
            names(&sorted(items, Some(&by_name), &calcs)),
            ["c", "b", "a"]
        );
    }

    #[test]
    fn click_isolates_then_restores_and_ctrl_toggles() {
        let mut hidden = Vec::new();
        click(&mut hidden, 1, 3, false);
        assert_eq!(hidden, [0, 2]);
        click(&mut hidden, 1, 3, false);
        assert!(hidden.is_empty());
        click(&mut hidden, 2, 3, true);
        assert_eq!(hidden, [2]);
        click(&mut hidden, 2, 3, true);
        assert!(hidden.is_empty());
    }

    #[test]
    fn header_click_sorts_descending_then_reverses() {
        let first = next_sort(None, "Max".into());
        assert_eq!(
            first,
            Some(SortBy {
                key: "Max".into(),
                desc: true
            })
        );
        assert_eq!(
            next_sort(first, "Max".into()),
            Some(SortBy {
                key: "Max".into(),
                desc: false
            })
        );
    }
}
