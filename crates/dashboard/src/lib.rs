//! Grafana dashboard model and import (work in progress).
