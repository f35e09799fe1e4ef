//! PromQL evaluation over the store (work in progress).
