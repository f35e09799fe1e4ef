//! Units, thresholds, value mappings and reducers (work in progress).
