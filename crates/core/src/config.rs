//! Signalboard configuration (JSON shaped like prometheus.yml).
