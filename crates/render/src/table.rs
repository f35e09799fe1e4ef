//! The table panel's data model, shared by the app's HTML table and the SVG renderer: the
//! frames Grafana's Prometheus data source returns, Grafana's table transformations over
//! them, and each cell's text and colours.
//!
//! Contract:
//! - Frames ([`frames`]): a `format: table` query gives one frame per query — `Time` (the
//!   sample's time), one text field per label (sorted by name), then `Value`, named
//!   `Value #<refId>` when the panel has more than one table query. Any other query gives
//!   one frame per series: `Time` and the values, the value field named by the series'
//!   display name.
//! - Transformations ([`transform`]), in order: `merge` (one frame; rows whose shared text
//!   fields are equal become one row), `reduce` (series to rows: `Field` plus one column
//!   per reducer, named like Grafana's `Last *`; `includeTimeField` false drops time fields),
//!   `organize` (`excludeByName`, `indexByName`, `renameByName`), `sortBy` (first sort
//!   entry), `groupingToMatrix` (`rowField\columnField` then one column per column value).
//!   Unknown or disabled transformations leave the frames unchanged.
//! - The table ([`table_model`]) shows one frame left, the first unless another is picked
//!   (Grafana shows one frame at a time, with a frame picker when there are several). Each field's effective config is matched by its name after the transformations
//!   (overrides `byName` see renamed fields, as Grafana's display names do); fields with
//!   `custom.hidden` are left out; the header is `displayName` or the field name. Numbers go
//!   through the display pipeline (mappings, unit, thresholds) and Grafana's
//!   `getCellColors` for the field's `custom.cellOptions`; a coloured-background field with
//!   `applyToRow` colours its whole row. Times use `YYYY-MM-DD HH:mm:ss` in the given UTC
//!   offset. Numbers align right, text left, unless `custom.align` says otherwise.

use signalboard_dashboard::{Panel, QueryFormat};
use signalboard_display::civil::format_ms;
use signalboard_display::reducers::{reduce_f64, reducer_name};
use signalboard_display::table_cell::{cell_colors, CellColorMode, CellColors};
use signalboard_display::{display_value, Theme};

use crate::field::{effective_config, field_display};
use crate::series::SeriesRef;

/// Grafana's system date format for time fields in tables.
const TIME_FORMAT: &str = "YYYY-MM-DD HH:mm:ss";

/// The values of one field.
#[derive(Debug, Clone, PartialEq)]
pub enum Values {
    /// Epoch milliseconds.
    Time(Vec<f64>),
    /// Numbers; NaN is null.
    Number(Vec<f64>),
    Text(Vec<String>),
}

impl Values {
    fn len(&self) -> usize {
        match self {
            Values::Time(v) | Values::Number(v) => v.len(),
            Values::Text(v) => v.len(),
        }
    }

    fn empty_like(&self) -> Values {
        match self {
            Values::Time(_) => Values::Time(Vec::new()),
            Values::Number(_) => Values::Number(Vec::new()),
            Values::Text(_) => Values::Text(Vec::new()),
        }
    }

    /// Appends row `i` of `from` (a null when `from` has no such row or another type).
    fn push_from(&mut self, from: Option<&Values>, i: usize) {
        match (self, from) {
            (Values::Time(out), Some(Values::Time(v)))
            | (Values::Number(out), Some(Values::Number(v))) => {
                out.push(v.get(i).copied().unwrap_or(f64::NAN))
            }
            (Values::Text(out), Some(Values::Text(v))) => {
                out.push(v.get(i).cloned().unwrap_or_default())
            }
            (Values::Time(out) | Values::Number(out), _) => out.push(f64::NAN),
            (Values::Text(out), _) => out.push(String::new()),
        }
    }

    /// Row `i` as text (for grouping and joining).
    fn key(&self, i: usize) -> String {
        match self {
            Values::Time(v) | Values::Number(v) => {
                v.get(i).map(|x| x.to_string()).unwrap_or_default()
            }
            Values::Text(v) => v.get(i).cloned().unwrap_or_default(),
        }
    }

    fn is_null(&self, i: usize) -> bool {
        match self {
            Values::Time(v) | Values::Number(v) => v.get(i).is_none_or(|x| x.is_nan()),
            Values::Text(v) => v.get(i).is_none_or(String::is_empty),
        }
    }
}

/// One field (column) of a frame.
#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    pub name: String,
    pub ref_id: String,
    pub values: Values,
}

/// One data frame: fields of equal length.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Frame {
    pub fields: Vec<Field>,
}

impl Frame {
    fn rows(&self) -> usize {
        self.fields
            .iter()
            .map(|f| f.values.len())
            .max()
            .unwrap_or(0)
    }

    fn field(&self, name: &str) -> Option<&Field> {
        self.fields.iter().find(|f| f.name == name)
    }
}

/// The frames of a panel's series; see module docs.
pub fn frames(panel: &Panel, series: &[SeriesRef<'_>]) -> Vec<Frame> {
    let table_refs: Vec<&str> = panel
        .targets
        .iter()
        .filter(|t| !t.hide && t.format == QueryFormat::Table)
        .map(|t| t.ref_id.as_str())
        .collect();
    let mut out: Vec<Frame> = Vec::new();
    let mut table_frames: Vec<(String, Vec<&SeriesRef<'_>>)> = Vec::new();
    for s in series {
        if table_refs.contains(&s.ref_id) {
            match table_frames.iter_mut().find(|(r, _)| r == s.ref_id) {
                Some((_, members)) => members.push(s),
                None => table_frames.push((s.ref_id.to_string(), vec![s])),
            }
        } else {
            out.push(Frame {
                fields: vec![
                    Field {
                        name: "Time".into(),
                        ref_id: s.ref_id.into(),
                        values: Values::Time(s.ts.to_vec()),
                    },
                    Field {
                        name: s.name.into(),
                        ref_id: s.ref_id.into(),
                        values: Values::Number(s.vs.to_vec()),
                    },
                ],
            });
        }
    }
    let value_name = |ref_id: &str| {
        if table_refs.len() > 1 {
            format!("Value #{ref_id}")
        } else {
            "Value".to_string()
        }
    };
    let tables = table_frames.into_iter().map(|(ref_id, members)| {
        let mut labels: Vec<&str> = Vec::new();
        for s in &members {
            for (k, _) in s.labels {
                if !labels.contains(&k.as_str()) {
                    labels.push(k);
                }
            }
        }
        labels.sort_unstable();
        let field = |name: String, values: Values| Field {
            name,
            ref_id: ref_id.clone(),
            values,
        };
        // The last sample of each series: an instant query's one point.
        let last = |s: &SeriesRef<'_>| {
            let i = s.vs.iter().rposition(|v| !v.is_nan());
            let at = |xs: &[f64]| i.and_then(|i| xs.get(i)).copied().unwrap_or(f64::NAN);
            (at(s.ts), at(s.vs))
        };
        let mut fields = vec![field(
            "Time".into(),
            Values::Time(members.iter().map(|s| last(s).0).collect()),
        )];
        for l in labels {
            let texts = members
                .iter()
                .map(|s| {
                    s.labels
                        .iter()
                        .find(|(k, _)| k == l)
                        .map(|(_, v)| v.clone())
                        .unwrap_or_default()
                })
                .collect();
            fields.push(field(l.to_string(), Values::Text(texts)));
        }
        fields.push(field(
            value_name(&ref_id),
            Values::Number(members.iter().map(|s| last(s).1).collect()),
        ));
        Frame { fields }
    });
    let mut all: Vec<Frame> = tables.collect();
    all.append(&mut out);
    all
}

/// Applies Grafana's transformations in order; see module docs.
pub fn transform(mut frames: Vec<Frame>, transformations: &[serde_json::Value]) -> Vec<Frame> {
    for t in transformations {
        if t.get("disabled").and_then(|d| d.as_bool()) == Some(true) {
            continue;
        }
        let options = t.get("options").cloned().unwrap_or_default();
        frames = match t.get("id").and_then(|i| i.as_str()) {
            Some("merge") => vec![merge(&frames)],
            Some("reduce") => reduce(&frames, &options),
            Some("organize") => frames.into_iter().map(|f| organize(f, &options)).collect(),
            Some("sortBy") => frames.into_iter().map(|f| sort_by(f, &options)).collect(),
            Some("groupingToMatrix") => frames
                .iter()
                .map(|f| grouping_to_matrix(f, &options))
                .collect(),
            _ => frames,
        };
    }
    frames
}

/// Grafana's `merge`: one frame with every field name once; a row joins an earlier one
/// when their shared text fields are equal and the earlier row has no values yet for the
/// row's number fields.
fn merge(frames: &[Frame]) -> Frame {
    let mut out = Frame::default();
    for f in frames {
        for field in &f.fields {
            if out.field(&field.name).is_none() {
                out.fields.push(Field {
                    name: field.name.clone(),
                    ref_id: field.ref_id.clone(),
                    values: field.values.empty_like(),
                });
            }
        }
    }
    for f in frames {
        let keys: Vec<&Field> = f
            .fields
            .iter()
            .filter(|x| matches!(x.values, Values::Text(_)))
            .collect();
        let nums: Vec<&Field> = f
            .fields
            .iter()
            .filter(|x| matches!(x.values, Values::Number(_)))
            .collect();
        for i in 0..f.rows() {
            let rows = out.rows();
            let join = (0..rows).find(|&r| {
                keys.iter().all(|k| {
                    out.field(&k.name)
                        .is_some_and(|o| o.values.key(r) == k.values.key(i))
                }) && nums
                    .iter()
                    .all(|n| out.field(&n.name).is_none_or(|o| o.values.is_null(r)))
            });
            match join {
                Some(r) => {
                    for field in &f.fields {
                        if let Some(o) = out.fields.iter_mut().find(|o| o.name == field.name) {
                            set_row(&mut o.values, r, &field.values, i);
                        }
                    }
                }
                None => {
                    for o in &mut out.fields {
                        o.values.push_from(f.field(&o.name).map(|x| &x.values), i);
                    }
                }
            }
        }
    }
    out
}

/// Sets row `r` of `to` from row `i` of `from` when `to`'s cell is null.
fn set_row(to: &mut Values, r: usize, from: &Values, i: usize) {
    match (to, from) {
        (Values::Time(t), Values::Time(f)) | (Values::Number(t), Values::Number(f)) => {
            if let (Some(slot), Some(v)) = (t.get_mut(r), f.get(i)) {
                if slot.is_nan() {
                    *slot = *v;
                }
            }
        }
        (Values::Text(t), Values::Text(f)) => {
            if let (Some(slot), Some(v)) = (t.get_mut(r), f.get(i)) {
                if slot.is_empty() {
                    slot.clone_from(v);
                }
            }
        }
        _ => {}
    }
}

/// Grafana's `reduce` in its default series-to-rows mode.
fn reduce(frames: &[Frame], options: &serde_json::Value) -> Vec<Frame> {
    let reducers: Vec<String> = options
        .get("reducers")
        .and_then(|r| r.as_array())
        .map(|r| {
            r.iter()
                .filter_map(|x| x.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default();
    let mode = options
        .get("mode")
        .and_then(|m| m.as_str())
        .unwrap_or("seriesToRows");
    if reducers.is_empty() || mode != "seriesToRows" {
        return frames.to_vec();
    }
    let include_time = options.get("includeTimeField").and_then(|b| b.as_bool()) == Some(true);
    let mut names = Vec::new();
    let mut columns: Vec<Vec<f64>> = vec![Vec::new(); reducers.len()];
    for field in frames.iter().flat_map(|f| &f.fields) {
        let values = match &field.values {
            Values::Number(v) => v,
            Values::Time(v) if include_time => v,
            _ => continue,
        };
        names.push(field.name.clone());
        for (col, calc) in columns.iter_mut().zip(&reducers) {
            col.push(reduce_f64(values, calc).ok().flatten().unwrap_or(f64::NAN));
        }
    }
    let ref_id = frames
        .iter()
        .flat_map(|f| &f.fields)
        .next()
        .map(|f| f.ref_id.clone())
        .unwrap_or_default();
    let mut fields = vec![Field {
        name: "Field".into(),
        ref_id: ref_id.clone(),
        values: Values::Text(names),
    }];
    for (calc, col) in reducers.iter().zip(columns) {
        fields.push(Field {
            name: reducer_name(calc).unwrap_or_else(|| calc.clone()),
            ref_id: ref_id.clone(),
            values: Values::Number(col),
        });
    }
    vec![Frame { fields }]
}

/// Grafana's `organize`: exclude, reorder, rename.
fn organize(frame: Frame, options: &serde_json::Value) -> Frame {
    let excluded = |name: &str| {
        options
            .get("excludeByName")
            .and_then(|e| e.get(name))
            .and_then(|b| b.as_bool())
            == Some(true)
    };
    let index = |name: &str| {
        options
            .get("indexByName")
            .and_then(|e| e.get(name))
            .and_then(|i| i.as_f64())
            .unwrap_or(f64::INFINITY)
    };
    let mut fields: Vec<Field> = frame
        .fields
        .into_iter()
        .filter(|f| !excluded(&f.name))
        .collect();
    // Stable: fields without an index keep their order after the indexed ones.
    fields.sort_by(|a, b| index(&a.name).total_cmp(&index(&b.name)));
    for f in &mut fields {
        let renamed = options
            .get("renameByName")
            .and_then(|r| r.get(&f.name))
            .and_then(|n| n.as_str())
            .filter(|n| !n.is_empty());
        if let Some(n) = renamed {
            f.name = n.to_string();
        }
    }
    Frame { fields }
}

/// The frame's rows reordered by `order`.
fn reorder(frame: Frame, order: &[usize]) -> Frame {
    let fields = frame
        .fields
        .into_iter()
        .map(|f| {
            let mut values = f.values.empty_like();
            for &i in order {
                values.push_from(Some(&f.values), i);
            }
            Field { values, ..f }
        })
        .collect();
    Frame { fields }
}

/// Compares row `a` and `b` of a field: numbers and times numerically (nulls last), text
/// by its characters.
fn compare(values: &Values, a: usize, b: usize) -> std::cmp::Ordering {
    match values {
        Values::Time(v) | Values::Number(v) => {
            let x = v.get(a).copied().unwrap_or(f64::NAN);
            let y = v.get(b).copied().unwrap_or(f64::NAN);
            match (x.is_nan(), y.is_nan()) {
                (false, false) => x.total_cmp(&y),
                (a_null, b_null) => a_null.cmp(&b_null),
            }
        }
        Values::Text(v) => v.get(a).cmp(&v.get(b)),
    }
}

/// Grafana's `sortBy` (its first sort entry).
fn sort_by(frame: Frame, options: &serde_json::Value) -> Frame {
    let first = options
        .get("sort")
        .and_then(|s| s.as_array())
        .and_then(|s| s.first());
    let Some(name) = first.and_then(|s| s.get("field")).and_then(|f| f.as_str()) else {
        return frame;
    };
    let desc = first.and_then(|s| s.get("desc")).and_then(|d| d.as_bool()) == Some(true);
    let Some(field) = frame.field(name) else {
        return frame;
    };
    let mut order: Vec<usize> = (0..frame.rows()).collect();
    order.sort_by(|&a, &b| {
        let o = compare(&field.values, a, b);
        if desc {
            o.reverse()
        } else {
            o
        }
    });
    reorder(frame, &order)
}

/// Grafana's `groupingToMatrix`: one row per `rowField` value, one column per
/// `columnField` value, cells from `valueField`.
fn grouping_to_matrix(frame: &Frame, options: &serde_json::Value) -> Frame {
    let opt = |k: &str, default: &str| {
        options
            .get(k)
            .and_then(|v| v.as_str())
            .unwrap_or(default)
            .to_string()
    };
    let (col_name, row_name, value_name) = (
        opt("columnField", ""),
        opt("rowField", ""),
        opt("valueField", "Value"),
    );
    let (Some(cols), Some(rows), Some(vals)) = (
        frame.field(&col_name),
        frame.field(&row_name),
        frame.field(&value_name),
    ) else {
        return frame.clone();
    };
    let mut row_keys: Vec<String> = Vec::new();
    let mut col_keys: Vec<String> = Vec::new();
    for i in 0..frame.rows() {
        let (r, c) = (rows.values.key(i), cols.values.key(i));
        if !row_keys.contains(&r) {
            row_keys.push(r);
        }
        if !col_keys.contains(&c) {
            col_keys.push(c);
        }
    }
    let mut fields = vec![Field {
        name: format!("{row_name}\\{col_name}"),
        ref_id: rows.ref_id.clone(),
        values: Values::Text(row_keys.clone()),
    }];
    for c in &col_keys {
        let mut values = vals.values.empty_like();
        for r in &row_keys {
            let at =
                (0..frame.rows()).find(|&i| &rows.values.key(i) == r && &cols.values.key(i) == c);
            match at {
                Some(i) => values.push_from(Some(&vals.values), i),
                None => values.push_from(None, 0),
            }
        }
        fields.push(Field {
            name: c.clone(),
            ref_id: vals.ref_id.clone(),
            values,
        });
    }
    Frame { fields }
}

/// Horizontal alignment of a column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CellAlign {
    Left,
    Center,
    Right,
}

/// One shown cell.
#[derive(Debug, Clone, PartialEq)]
pub struct TableCell {
    pub text: String,
    /// The number behind a number or time cell (NaN otherwise, and for nulls).
    pub value: f64,
    /// The display colour of a number cell (thresholds, mappings).
    pub color: Option<String>,
    pub colors: CellColors,
}

/// One shown column.
#[derive(Debug, Clone, PartialEq)]
pub struct TableColumn {
    pub header: String,
    pub align: CellAlign,
    pub numeric: bool,
    pub cells: Vec<TableCell>,
}

/// The shown table; see module docs.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct TableModel {
    pub columns: Vec<TableColumn>,
    /// Per row, the colours of an `applyToRow` cell (`None`: cells keep their own).
    pub row_colors: Vec<Option<CellColors>>,
    /// How many frames the transformations left (one is shown).
    pub frame_count: usize,
}

impl TableModel {
    pub fn rows(&self) -> usize {
        self.row_colors.len()
    }

    /// Row indices ordered by column `col` (ascending unless `desc`).
    pub fn sorted_rows(&self, col: usize, desc: bool) -> Vec<usize> {
        let mut order: Vec<usize> = (0..self.rows()).collect();
        if let Some(c) = self.columns.get(col) {
            order.sort_by(|&a, &b| {
                let cell = |i: usize| c.cells.get(i);
                let o = if c.numeric {
                    let x = cell(a).map_or(f64::NAN, |x| x.value);
                    let y = cell(b).map_or(f64::NAN, |x| x.value);
                    match (x.is_nan(), y.is_nan()) {
                        (false, false) => x.total_cmp(&y),
                        (a_null, b_null) => a_null.cmp(&b_null),
                    }
                } else {
                    cell(a).map(|x| &x.text).cmp(&cell(b).map(|x| &x.text))
                };
                if desc {
                    o.reverse()
                } else {
                    o
                }
            });
        }
        order
    }
}

/// Builds the shown table of a panel; see module docs.
pub fn table_model(
    panel: &Panel,
    series: &[SeriesRef<'_>],
    theme: Theme,
    utc_offset_minutes: i32,
    frame_index: usize,
) -> TableModel {
    let all = transform(frames(panel, series), &panel.transformations);
    let frame_count = all.len();
    let Some(frame) = all
        .into_iter()
        .nth(frame_index.min(frame_count.saturating_sub(1)))
    else {
        return TableModel::default();
    };
    let rows = frame.rows();
    let mut row_colors: Vec<Option<CellColors>> = vec![None; rows];
    let mut columns = Vec::new();
    for (index, field) in frame.fields.iter().enumerate() {
        let cfg = effective_config(&panel.field_config, &field.name, &field.ref_id);
        if cfg.custom.hidden == Some(true) {
            continue;
        }
        let numeric = !matches!(field.values, Values::Text(_));
        let align = match cfg.custom.align.as_deref() {
            Some("left") => CellAlign::Left,
            Some("center") => CellAlign::Center,
            Some("right") => CellAlign::Right,
            _ if matches!(field.values, Values::Number(_)) => CellAlign::Right,
            _ => CellAlign::Left,
        };
        let mode = CellColorMode::parse(
            cfg.custom.cell_type.as_deref().unwrap_or("auto"),
            cfg.custom.cell_mode.as_deref(),
        );
        let to_row = cfg.custom.cell_apply_to_row == Some(true)
            && matches!(
                mode,
                CellColorMode::BackgroundBasic | CellColorMode::BackgroundGradient
            );
        let display = field_display(&cfg, index, theme);
        let cells: Vec<TableCell> = (0..rows)
            .map(|i| match &field.values {
                Values::Number(v) => {
                    let x = v.get(i).copied().unwrap_or(f64::NAN);
                    let shown = display_value((!x.is_nan()).then_some(x), &display);
                    let colors = cell_colors(&shown.color, mode, theme);
                    TableCell {
                        text: shown.full_text(),
                        value: x,
                        color: Some(shown.color),
                        colors,
                    }
                }
                Values::Time(v) => {
                    let x = v.get(i).copied().unwrap_or(f64::NAN);
                    TableCell {
                        text: if x.is_nan() {
                            String::new()
                        } else {
                            format_ms(x, TIME_FORMAT, utc_offset_minutes)
                        },
                        value: x,
                        color: None,
                        colors: CellColors::default(),
                    }
                }
                Values::Text(v) => TableCell {
                    text: v.get(i).cloned().unwrap_or_default(),
                    value: f64::NAN,
                    color: None,
                    colors: CellColors::default(),
                },
            })
            .collect();
        if to_row {
            for (slot, cell) in row_colors.iter_mut().zip(&cells) {
                *slot = Some(cell.colors.clone());
            }
        }
        columns.push(TableColumn {
            header: cfg
                .display_name
                .clone()
                .filter(|n| !n.is_empty())
                .unwrap_or_else(|| field.name.clone()),
            align,
            numeric,
            cells,
        });
    }
    TableModel {
        columns,
        row_colors,
        frame_count,
    }
}
