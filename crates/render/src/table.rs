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
//! - Layout and sorting follow Grafana 10.x–11.x's table (react-table `Table`, the one the
//!   fixtures' `pluginVersion` 10.3–11.4 draw with): [`TableModel::column_widths`] is its
//!   `getColumns` width rule (`custom.width` fixed, the rest share the remaining width,
//!   but never below `custom.minWidth`, default 150 px, so a narrow panel scrolls);
//!   [`row_height`] its `cellHeight` row pitch (sm 35, md 44, lg 50 px) under a
//!   [`HEADER_HEIGHT`] header; [`TableModel::initial_sort`] is `options.sortBy` matched
//!   by column header, [`TableModel::sorted_rows`] react-table's ordering (numbers and
//!   times with nulls lowest, text case-insensitively, ties in frame order, a descending
//!   sort the exact reverse) and [`next_sort`] its header-click cycle
//!   (ascending → descending → unsorted).
//! - [`TableModel::empty_text`]: a shown frame without rows keeps its header and shows the
//!   field default `noValue`, else `No data`, centred in the body below it (Grafana 10–11's
//!   `Table` when `itemCount` is 0).
//! - The footer ([`TableModel::footer`], Grafana 10–11's `getFooterItems`): only with
//!   `footer.show` and a reducer. Each numeric field shown gets the first reducer over its
//!   values (in the opening sort order), formatted by the field's display when the reducer
//!   keeps units (`preservesUnits`), else as a plain JS number; with `footer.fields` only
//!   the fields named there (by field name or by the header shown: Grafana's editor saves
//!   display names) get one. The frame's first field, when it is not numeric, shows the
//!   reducer's name (`Total` for `sum`). `countRows` with the `count` reducer shows only
//!   the row count, labelled `Count`, in the first field. Other cells stay empty.

use signalboard_dashboard::{Panel, PanelOptions, QueryFormat};
use signalboard_display::civil::format_ms;
use signalboard_display::jsnum::to_js_string;
use signalboard_display::reducers::{reduce_f64, reducer_name, reducer_preserves_units};
use signalboard_display::table_cell::{cell_colors, CellColorMode, CellColors};
use signalboard_display::{display_value, Theme};

use crate::field::{effective_config, field_display, no_value_text};
use crate::series::SeriesRef;

/// Grafana's system date format for time fields in tables.
const TIME_FORMAT: &str = "YYYY-MM-DD HH:mm:ss";

/// Header row height (CSS px), Grafana 10–11's `headerHeight`.
pub const HEADER_HEIGHT: f64 = 28.0;
/// Horizontal padding of a cell (CSS px).
pub const CELL_PADDING: f64 = 6.0;
/// Cell font size (CSS px): the theme's body size.
pub const FONT_PX: f64 = 14.0;
/// A column's minimum width without `custom.minWidth` (Grafana's `COLUMN_MIN_WIDTH`).
pub const COLUMN_MIN_WIDTH: f64 = 150.0;
/// The footer row's height (CSS px), Grafana 10–11's `FOOTER_ROW_HEIGHT`.
pub const FOOTER_HEIGHT: f64 = 36.0;

/// Row pitch (CSS px: the cell plus its 1 px bottom border) for `options.cellHeight`:
/// Grafana's `getCellHeight` (`md` 42, `lg` 48, else padding 2 × 6 + 14 px × line height
/// 1.5 = 33) plus 2, as its `rowHeight`.
pub fn row_height(cell_height: Option<&str>) -> f64 {
    let cell = match cell_height {
        Some("md") => 42.0,
        Some("lg") => 48.0,
        _ => 2.0 * CELL_PADDING + FONT_PX * 1.5,
    };
    cell + 2.0
}

/// The sort after a click on column `col`'s header, from `current` (react-table's
/// single-column toggle): unsorted → ascending → descending → unsorted; a click on another
/// column, or on one of several sorted columns, sorts by it alone, ascending.
pub fn next_sort(current: &[(usize, bool)], col: usize) -> Vec<(usize, bool)> {
    match current {
        [(c, false)] if *c == col => vec![(col, true)],
        [(c, true)] if *c == col => Vec::new(),
        _ => vec![(col, false)],
    }
}

/// Collation class of a character, as ICU's root order ranks them: spaces and
/// punctuation, then digits, then letters.
fn char_class(c: char) -> u8 {
    if c.is_alphabetic() {
        2
    } else if c.is_numeric() {
        1
    } else {
        0
    }
}

/// Text order of Grafana's `sortCaseInsensitive` (`localeCompare` with base sensitivity),
/// approximated: by character class, then lower-cased character; case alone is no
/// difference.
fn compare_text(a: &str, b: &str) -> std::cmp::Ordering {
    let key = |s: &str| {
        s.chars()
            .flat_map(|c| c.to_lowercase().map(move |l| (char_class(c), l)))
            .collect::<Vec<_>>()
    };
    key(a).cmp(&key(b))
}

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

/// One footer cell (Grafana's `FooterItem`); see module docs.
#[derive(Debug, Clone, PartialEq)]
pub enum FooterCell {
    Empty,
    /// A reduced value, or the reducer's name in the first column.
    Text(String),
    /// `countRows`: the row count, shown after the label `Count`.
    Count(String),
}

/// One shown column.
#[derive(Debug, Clone, PartialEq)]
pub struct TableColumn {
    pub header: String,
    pub align: CellAlign,
    pub numeric: bool,
    pub cells: Vec<TableCell>,
    /// `custom.width` (CSS px).
    pub width: Option<f64>,
    /// `custom.minWidth` (CSS px).
    pub min_width: Option<f64>,
}

impl TableColumn {
    /// Orders rows `a` and `b` by this column, ascending; see module docs.
    fn compare(&self, a: usize, b: usize) -> std::cmp::Ordering {
        let cell = |i: usize| self.cells.get(i);
        if self.numeric {
            // Grafana's `sortNumber`: a null is −∞.
            let value = |i: usize| {
                cell(i)
                    .map(|x| x.value)
                    .filter(|v| !v.is_nan())
                    .unwrap_or(f64::NEG_INFINITY)
            };
            value(a)
                .partial_cmp(&value(b))
                .unwrap_or(std::cmp::Ordering::Equal)
        } else {
            let text = |i: usize| cell(i).map_or("", |x| x.text.as_str());
            compare_text(text(a), text(b))
        }
    }
}

/// The shown table; see module docs.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct TableModel {
    pub columns: Vec<TableColumn>,
    /// Per row, the colours of an `applyToRow` cell (`None`: cells keep their own).
    pub row_colors: Vec<Option<CellColors>>,
    /// How many frames the transformations left (one is shown).
    pub frame_count: usize,
    /// `options.sortBy` as (column, descending), matched by header.
    pub initial_sort: Vec<(usize, bool)>,
    /// Row pitch (CSS px) for `options.cellHeight`.
    pub row_height: f64,
    /// `options.showHeader`.
    pub show_header: bool,
    /// One cell per column when `options.footer` shows a footer.
    pub footer: Option<Vec<FooterCell>>,
}

impl TableModel {
    pub fn rows(&self) -> usize {
        self.row_colors.len()
    }

    /// The text shown in place of rows when the frame has none; see module docs.
    pub fn empty_text(&self, panel: &Panel) -> Option<String> {
        (self.rows() == 0).then(|| no_value_text(panel))
    }

    /// Row indices ordered by `sort` ((column, descending), first key first); see module
    /// docs.
    pub fn sorted_rows(&self, sort: &[(usize, bool)]) -> Vec<usize> {
        let mut order: Vec<usize> = (0..self.rows()).collect();
        let Some(&(_, first_desc)) = sort.first() else {
            return order;
        };
        order.sort_by(|&a, &b| {
            for &(col, desc) in sort {
                let o = self
                    .columns
                    .get(col)
                    .map_or(std::cmp::Ordering::Equal, |c| c.compare(a, b));
                if o.is_ne() {
                    return if desc { o.reverse() } else { o };
                }
            }
            // react-table's tie-break: frame order, reversed by a descending first key.
            if first_desc {
                b.cmp(&a)
            } else {
                a.cmp(&b)
            }
        });
        order
    }

    /// Each column's width (CSS px) in a table `available` px wide, by Grafana's
    /// `getColumns`: fixed widths first; the rest share what is left, except that a column
    /// whose minimum is above its share gets its minimum (checked column by column, the
    /// share recomputed after each), so the total may exceed `available`.
    pub fn column_widths(&self, available: f64) -> Vec<f64> {
        let mut widths: Vec<Option<f64>> = self.columns.iter().map(|c| c.width).collect();
        let mut left = available - widths.iter().flatten().sum::<f64>();
        let mut count = widths.iter().filter(|w| w.is_none()).count();
        let mut shared = left / count as f64;
        // Grafana repeats the pass once per unsized column.
        let passes = count;
        for _ in 0..passes {
            for (w, c) in widths.iter_mut().zip(&self.columns) {
                let min = c.min_width.unwrap_or(COLUMN_MIN_WIDTH);
                if w.is_none() && min > shared {
                    *w = Some(min);
                    left -= min;
                    count -= 1;
                    shared = left / count as f64;
                }
            }
        }
        widths.into_iter().map(|w| w.unwrap_or(shared)).collect()
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
        return TableModel {
            row_height: row_height(None),
            show_header: true,
            ..TableModel::default()
        };
    };
    let rows = frame.rows();
    let mut row_colors: Vec<Option<CellColors>> = vec![None; rows];
    let mut columns = Vec::new();
    // Per shown column: its field's index in the frame.
    let mut shown = Vec::new();
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
        shown.push(index);
        columns.push(TableColumn {
            header: cfg
                .display_name
                .clone()
                .filter(|n| !n.is_empty())
                .unwrap_or_else(|| field.name.clone()),
            align,
            numeric,
            cells,
            width: cfg.custom.width,
            min_width: cfg.custom.min_width,
        });
    }
    let options = match &panel.options {
        PanelOptions::Table(t) => Some(t),
        _ => None,
    };
    // Grafana's `getInitialState`: each entry sorts every column with that header.
    let initial_sort = options
        .map(|t| {
            t.sort_by
                .iter()
                .flat_map(|(name, desc)| {
                    columns
                        .iter()
                        .enumerate()
                        .filter(move |(_, c)| &c.header == name)
                        .map(move |(i, _)| (i, *desc))
                })
                .collect()
        })
        .unwrap_or_default();
    let mut model = TableModel {
        columns,
        row_colors,
        frame_count,
        initial_sort,
        row_height: row_height(options.and_then(|t| t.cell_height.as_deref())),
        show_header: options.is_none_or(|t| t.show_header),
        footer: None,
    };
    if let Some(t) = options.filter(|t| t.footer_show) {
        model.footer = footer(&model, &frame, &shown, t, &panel.field_config, theme);
    }
    model
}

/// The footer cells of `model`'s columns (`shown`: each column's field index in `frame`);
/// see module docs.
fn footer(
    model: &TableModel,
    frame: &Frame,
    shown: &[usize],
    options: &signalboard_dashboard::TableOptions,
    field_config: &signalboard_dashboard::FieldConfig,
    theme: Theme,
) -> Option<Vec<FooterCell>> {
    let calc = options.footer_reducers.first()?;
    if options.footer_count_rows && calc == "count" {
        let cells = shown
            .iter()
            .map(|&i| match i {
                0 => FooterCell::Count(model.rows().to_string()),
                _ => FooterCell::Empty,
            })
            .collect();
        return Some(cells);
    }
    let order = model.sorted_rows(&model.initial_sort);
    let cells = shown
        .iter()
        .zip(&model.columns)
        .map(|(&index, column)| {
            let Some(field) = frame.fields.get(index) else {
                return FooterCell::Empty;
            };
            let Values::Number(values) = &field.values else {
                return match index {
                    0 => FooterCell::Text(reducer_name(calc).unwrap_or_else(|| calc.clone())),
                    _ => FooterCell::Empty,
                };
            };
            let wanted = options.footer_fields.is_empty()
                || options
                    .footer_fields
                    .iter()
                    .any(|f| *f == field.name || *f == column.header);
            if !wanted {
                return FooterCell::Empty;
            }
            let ordered: Vec<f64> = order
                .iter()
                .map(|&r| values.get(r).copied().unwrap_or(f64::NAN))
                .collect();
            let Ok(value) = reduce_f64(&ordered, calc) else {
                return FooterCell::Empty;
            };
            let text = if reducer_preserves_units(calc) {
                let cfg = effective_config(field_config, &field.name, &field.ref_id);
                display_value(value, &field_display(&cfg, index, theme)).full_text()
            } else {
                value.map(to_js_string).unwrap_or_default()
            };
            FooterCell::Text(text)
        })
        .collect();
    Some(cells)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]
    use super::*;

    fn column(header: &str, numeric: bool, cells: &[(&str, f64)]) -> TableColumn {
        TableColumn {
            header: header.into(),
            align: CellAlign::Left,
            numeric,
            cells: cells
                .iter()
                .map(|(text, value)| TableCell {
                    text: text.to_string(),
                    value: *value,
                    color: None,
                    colors: CellColors::default(),
                })
                .collect(),
            width: None,
            min_width: None,
        }
    }

    fn model(columns: Vec<TableColumn>) -> TableModel {
        let rows = columns.first().map_or(0, |c| c.cells.len());
        TableModel {
            columns,
            row_colors: vec![None; rows],
            ..TableModel::default()
        }
    }

    #[test]
    fn widths_share_the_rest_but_keep_minimums() {
        let mut m = model(vec![
            column("a", false, &[]),
            column("b", false, &[]),
            column("c", false, &[]),
        ]);
        assert_eq!(m.column_widths(900.0), vec![300.0; 3], "equal shares");
        assert_eq!(
            m.column_widths(300.0),
            vec![150.0; 3],
            "shares under 150 px: every column at its minimum (the table scrolls)"
        );
        m.columns[0].width = Some(100.0);
        assert_eq!(m.column_widths(900.0), vec![100.0, 400.0, 400.0]);
        // Column c needs 500: it gets it, b shares the rest alone.
        m.columns[2].min_width = Some(500.0);
        assert_eq!(m.column_widths(900.0), vec![100.0, 300.0, 500.0]);
        // b's own minimum is 50: b keeps the 100 px that are left.
        m.columns[1].min_width = Some(50.0);
        assert_eq!(m.column_widths(700.0), vec![100.0, 100.0, 500.0]);
        // Grafana checks column by column: b (min 150 default) first takes its minimum
        // when the share is too small, then c is checked against the new share.
        let mut m = model(vec![column("a", false, &[]), column("b", false, &[])]);
        m.columns[1].min_width = Some(200.0);
        assert_eq!(m.column_widths(390.0), vec![190.0, 200.0]);
        assert_eq!(m.column_widths(300.0), vec![150.0, 200.0]);
    }

    #[test]
    fn sorting_matches_react_table() {
        let m = model(vec![
            column(
                "n",
                true,
                &[("2", 2.0), ("", f64::NAN), ("1", 1.0), ("2", 2.0)],
            ),
            column(
                "t",
                false,
                &[("b", 0.0), ("B", 0.0), ("_x", 0.0), ("a", 0.0)],
            ),
        ]);
        assert_eq!(
            m.sorted_rows(&[]),
            vec![0, 1, 2, 3],
            "unsorted: frame order"
        );
        assert_eq!(
            m.sorted_rows(&[(0, false)]),
            vec![1, 2, 0, 3],
            "null lowest, ties in frame order"
        );
        assert_eq!(
            m.sorted_rows(&[(0, true)]),
            vec![3, 0, 2, 1],
            "descending is the exact reverse (ties too)"
        );
        assert_eq!(
            m.sorted_rows(&[(1, false)]),
            vec![2, 3, 0, 1],
            "punctuation before letters; b and B equal, in frame order"
        );
        assert_eq!(
            m.sorted_rows(&[(0, false), (1, true)]),
            vec![1, 2, 0, 3],
            "second key breaks the tie of the first: b = B, so frame order"
        );
    }

    #[test]
    fn header_clicks_cycle_ascending_descending_unsorted() {
        assert_eq!(next_sort(&[], 2), vec![(2, false)]);
        assert_eq!(next_sort(&[(2, false)], 2), vec![(2, true)]);
        assert_eq!(next_sort(&[(2, true)], 2), Vec::<(usize, bool)>::new());
        assert_eq!(next_sort(&[(1, true)], 2), vec![(2, false)]);
        assert_eq!(next_sort(&[(2, true), (1, false)], 2), vec![(2, false)]);
    }

    #[test]
    fn row_pitch_per_cell_height() {
        assert_eq!(row_height(Some("sm")), 35.0);
        assert_eq!(row_height(None), 35.0);
        assert_eq!(row_height(Some("md")), 44.0);
        assert_eq!(row_height(Some("lg")), 50.0);
    }
}
