//! In-memory time series store (work in progress).
