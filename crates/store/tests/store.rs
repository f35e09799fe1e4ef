#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use signalboard_store::*;

fn l(pairs: &[(&str, &str)]) -> Labels {
    Labels::from_pairs(pairs.iter().copied())
}

#[test]
fn append_rejects_out_of_order_and_ignores_exact_duplicates() {
    let mut s = Store::new();
    let a = l(&[("__name__", "a")]);
    assert!(s.append(&a, 10, 1.0).unwrap().new_series);
    assert!(!s.append(&a, 10, 1.0).unwrap().stored);
    assert!(matches!(
        s.append(&a, 10, 2.0),
        Err(AppendError::DuplicateTimestamp { .. })
    ));
    assert!(matches!(
        s.append(&a, 5, 2.0),
        Err(AppendError::OutOfOrder { .. })
    ));
    assert!(s.append(&a, 20, 2.0).unwrap().stored);
    assert_eq!(s.stats().samples, 2);
}

#[test]
fn select_by_matchers_and_window() {
    let mut s = Store::new();
    for (job, v) in [("api", 1.0), ("db", 2.0)] {
        let labels = l(&[("__name__", "up"), ("job", job)]);
        for t in 0..10 {
            s.append(&labels, t * 1000, v).unwrap();
        }
    }
    let sel = s.select(
        &[
            Matcher::equal("__name__", "up"),
            Matcher::regex("job", "a.*", false).unwrap(),
        ],
        2000,
        4000,
    );
    assert_eq!(sel.len(), 1);
    assert_eq!(sel[0].labels.get("job"), Some("api"));
    assert_eq!(sel[0].timestamps, &[2000, 3000, 4000]);
    // An anchored regex: "p" alone does not match "api".
    assert!(s
        .select(&[Matcher::regex("job", "p", false).unwrap()], 0, 10_000)
        .is_empty());
    // Missing label matches as empty.
    assert_eq!(s.select(&[Matcher::equal("zone", "")], 0, 10_000).len(), 2);
}

#[test]
fn ingest_attaches_target_labels_and_marks_vanished_series_stale() {
    let mut s = Store::new();
    let target = TargetLabels {
        job: "api".into(),
        instance: "h:1".into(),
        extra: vec![],
        honor_labels: false,
    };
    let first = [
        ScrapedSample {
            name: "a",
            labels: &[("job", "inner")],
            value: 1.0,
            timestamp_ms: None,
        },
        ScrapedSample {
            name: "b",
            labels: &[],
            value: 2.0,
            timestamp_ms: None,
        },
        ScrapedSample {
            name: "b",
            labels: &[],
            value: 3.0,
            timestamp_ms: None,
        },
    ];
    let r = s.ingest_samples(&target, 1000, first);
    assert_eq!(
        (r.samples, r.stored, r.series_added, r.duplicates),
        (3, 2, 2, 1)
    );
    let a = s.select(&[Matcher::equal("__name__", "a")], 0, 5000);
    assert_eq!(a[0].labels.get("exported_job"), Some("inner"));
    assert_eq!(a[0].labels.get("job"), Some("api"));
    assert_eq!(a[0].labels.get("instance"), Some("h:1"));

    let second = [ScrapedSample {
        name: "b",
        labels: &[],
        value: 4.0,
        timestamp_ms: None,
    }];
    let r = s.ingest_samples(&target, 2000, second);
    assert_eq!((r.series_added, r.stale_markers), (0, 1));
    let a = s.select(&[Matcher::equal("__name__", "a")], 0, 5000);
    assert_eq!(a[0].timestamps, &[1000, 2000]);
    assert!(is_stale_marker(a[0].values[1]));

    assert_eq!(s.mark_target_down(&target, 3000), 1);
    let b = s.select(&[Matcher::equal("__name__", "b")], 0, 5000);
    assert!(is_stale_marker(*b[0].values.last().unwrap()));
}

#[test]
fn retention_and_memory_bound_drop_oldest_whole_chunks_first() {
    let mut s = Store::new();
    let a = l(&[("__name__", "a")]);
    let b = l(&[("__name__", "b")]);
    // 360 samples of `a`: three sealed chunks of 120 (0..119 s, 120..239 s, 240..359 s).
    for t in 0..360 {
        s.append(&a, t * 1000, t as f64).unwrap();
    }
    s.append(&b, 0, 1.0).unwrap();
    s.set_retention(Some(200_000));
    // Cut-off 159 s: the first chunk and `b` go; the chunk straddling the cut-off stays whole.
    let r = s.enforce_limits(359_000);
    assert_eq!(r.dropped_by_retention, 120 + 1);
    assert_eq!(r.series_removed, 1);
    assert_eq!(s.stats().samples, 240);
    let sel = s.select(&[Matcher::equal("__name__", "a")], 0, i64::MAX);
    assert_eq!(sel[0].timestamps[0], 120_000);
    assert_eq!(sel[0].timestamps.len(), 240);

    let before = s.stats().bytes;
    s.set_memory_limit(Some(before - 1));
    let r = s.enforce_limits(359_000);
    assert_eq!(r.dropped_by_memory, 120);
    assert!(s.stats().bytes < before);
    let sel = s.select(&[Matcher::equal("__name__", "a")], 0, i64::MAX);
    assert_eq!(sel[0].timestamps[0], 240_000);
    assert_eq!(sel[0].values[119], 359.0);
}

#[test]
fn ingest_scrape_reads_a_parsed_exposition() {
    let text = "# TYPE req counter\nreq_total{code=\"200\"} 5\nreq_total{code=\"500\"} 1 1000\n";
    let exp =
        signalboard_exposition::parse(text, signalboard_exposition::Format::Prometheus).unwrap();
    let mut s = Store::new();
    let target = TargetLabels {
        job: "api".into(),
        instance: "h:1".into(),
        extra: vec![("env".into(), "dev".into())],
        honor_labels: false,
    };
    let r = s.ingest_scrape(&target, 15_000, &exp);
    assert_eq!((r.samples, r.stored, r.series_added), (2, 2, 2));
    let sel = s.select(&[Matcher::equal("code", "500")], 0, i64::MAX);
    assert_eq!(sel[0].timestamps, &[1000]);
    assert_eq!(sel[0].labels.get("env"), Some("dev"));
    let sel = s.select(&[Matcher::equal("code", "200")], 0, i64::MAX);
    assert_eq!(sel[0].timestamps, &[15_000]);
    assert_eq!(sel[0].values, &[5.0]);
    // The explicitly timestamped series never gets a staleness marker.
    let r = s.ingest_scrape(
        &target,
        30_000,
        &signalboard_exposition::Exposition::default(),
    );
    assert_eq!(r.stale_markers, 1);
}

#[test]
fn honor_labels_keeps_scraped_job_and_instance() {
    // What scraping Prometheus's /federate needs: the series keep their original job/instance.
    let text = "up{job=\"node\",instance=\"a:9100\"} 1 1000\nup{job=\"\"} 0 1000\n";
    let exp =
        signalboard_exposition::parse(text, signalboard_exposition::Format::Prometheus).unwrap();
    for (honor, jobs) in [(true, ["fed", "node"]), (false, ["fed", "fed"])] {
        let mut s = Store::new();
        let target = TargetLabels {
            job: "fed".into(),
            instance: "prom:9090".into(),
            extra: vec![],
            honor_labels: honor,
        };
        s.ingest_scrape(&target, 15_000, &exp);
        let mut got: Vec<String> = s
            .select(&[Matcher::equal("__name__", "up")], 0, i64::MAX)
            .iter()
            .map(|x| x.labels.get("job").unwrap_or("").to_string())
            .collect();
        got.sort();
        assert_eq!(got, jobs, "honor_labels={honor}");
        let exported = s.select(&[Matcher::equal("exported_job", "node")], 0, i64::MAX);
        assert_eq!(exported.len(), usize::from(!honor), "honor_labels={honor}");
    }
}

#[test]
fn scrape_cache_survives_compaction() {
    let mut s = Store::new();
    // An unrelated old series that retention will remove, shifting every series ref.
    s.append(&l(&[("__name__", "old")]), 0, 1.0).unwrap();
    let target = TargetLabels {
        job: "j".into(),
        instance: "i".into(),
        extra: vec![],
        honor_labels: false,
    };
    let a = [("k", "a")];
    let b = [("k", "b")];
    let both = [
        ScrapedSample {
            name: "m",
            labels: &a,
            value: 1.0,
            timestamp_ms: None,
        },
        ScrapedSample {
            name: "m",
            labels: &b,
            value: 2.0,
            timestamp_ms: None,
        },
    ];
    s.ingest_samples(&target, 100_000, both);
    s.set_retention(Some(50_000));
    assert_eq!(s.enforce_limits(100_000).series_removed, 1);
    let only_a = [ScrapedSample {
        name: "m",
        labels: &a,
        value: 3.0,
        timestamp_ms: None,
    }];
    let r = s.ingest_samples(&target, 115_000, only_a);
    assert_eq!(
        (r.stored, r.series_added, r.stale_markers, r.rejected),
        (1, 0, 1, 0)
    );
    let sel = s.select(&[Matcher::equal("k", "b")], 0, i64::MAX);
    assert!(is_stale_marker(sel[0].values[1]));
    let sel = s.select(&[Matcher::equal("k", "a")], 0, i64::MAX);
    assert_eq!(sel[0].values, &[1.0, 3.0]);
}

#[test]
fn postings_narrow_selection_without_changing_results() {
    let mut s = Store::new();
    for i in 0..50 {
        let labels = Labels::from_pairs([
            ("__name__", format!("m{}", i % 5)),
            ("job", format!("j{}", i % 3)),
            ("i", i.to_string()),
        ]);
        s.append(&labels, 0, i as f64).unwrap();
    }
    let by_job = s.select(&[Matcher::equal("job", "j1")], 0, 0);
    assert_eq!(by_job.len(), 17);
    assert!(by_job.iter().all(|x| x.labels.get("job") == Some("j1")));
    let both = s.select(
        &[
            Matcher::equal("job", "j1"),
            Matcher::equal("__name__", "m2"),
        ],
        0,
        0,
    );
    let expected: Vec<f64> = (0..50)
        .filter(|i| i % 3 == 1 && i % 5 == 2)
        .map(|i| i as f64)
        .collect();
    let got: Vec<f64> = both.iter().map(|x| x.values[0]).collect();
    assert_eq!(got, expected);
    assert!(s.select(&[Matcher::equal("job", "nope")], 0, 0).is_empty());
    assert_eq!(
        s.select(
            &[Matcher::equal("job", "j1"), Matcher::equal("x", "")],
            0,
            0
        )
        .len(),
        17
    );
}

/// xorshift64*: deterministic pseudo-random numbers for the property-style test below.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d) % n
    }
}

#[test]
fn random_series_read_back_bit_for_bit_in_any_window() {
    let specials = [
        STALE_NAN,
        f64::NAN,
        f64::from_bits(0x7ff8_dead_beef_0001),
        f64::from_bits(0xfff0_0000_0000_0001),
        -0.0,
        0.0,
        f64::INFINITY,
        f64::NEG_INFINITY,
        f64::MAX,
        f64::MIN_POSITIVE,
    ];
    let mut rng = Rng(0x5eed);
    let mut s = Store::new();
    let mut want: Vec<(Labels, Vec<(i64, u64)>)> = Vec::new();
    for i in 0..40 {
        let labels = l(&[("__name__", "p"), ("i", &i.to_string())]);
        let mut t = rng.below(1 << 40) as i64 - (1 << 39);
        let mut v = 0.0f64;
        let mut samples = Vec::new();
        for _ in 0..rng.below(700) + 1 {
            samples.push((t, v.to_bits()));
            s.append(&labels, t, v).unwrap();
            t += match rng.below(6) {
                0 => 1 + rng.below(1 << 45) as i64, // huge gap
                1 => 14_990 + rng.below(21) as i64, // jitter
                2 => 1 + rng.below(3_600_000) as i64,
                _ => 15_000,
            };
            v = match rng.below(8) {
                0 => specials[rng.below(specials.len() as u64) as usize],
                1 => v,
                2 => (rng.below(1_000_000) as f64) / 100.0,
                3 => f64::from_bits(rng.below(u64::MAX)),
                _ => (v.abs().min(1e15) + rng.below(500) as f64).round(),
            };
        }
        want.push((labels, samples));
    }
    for _ in 0..300 {
        let (labels, samples) = &want[rng.below(want.len() as u64) as usize];
        let first = samples[0].0;
        let last = samples.last().unwrap().0;
        let span = (last - first).max(1) as u64;
        let mint = first - 1000 + rng.below(span + 2000) as i64;
        let maxt = mint + rng.below(span + 1) as i64;
        let sel = s.select(&[Matcher::equal("i", labels.get("i").unwrap())], mint, maxt);
        assert_eq!(sel.len(), 1);
        let got: Vec<(i64, u64)> = sel[0]
            .timestamps
            .iter()
            .zip(&sel[0].values)
            .map(|(t, v)| (*t, v.to_bits()))
            .collect();
        let expected: Vec<(i64, u64)> = samples
            .iter()
            .filter(|(t, _)| (mint..=maxt).contains(t))
            .copied()
            .collect();
        assert_eq!(got, expected, "{labels} in [{mint}, {maxt}]");
    }
    let all = s.select(&[Matcher::equal("__name__", "p")], i64::MIN, i64::MAX);
    let total: usize = want.iter().map(|(_, v)| v.len()).sum();
    assert_eq!(all.iter().map(|x| x.values.len()).sum::<usize>(), total);
    assert_eq!(s.stats().samples, total);
}

#[test]
fn streaming_reads_match_select_and_can_drop_stale_markers() {
    let mut s = Store::new();
    for job in ["b", "a"] {
        let labels = l(&[("__name__", "up"), ("job", job)]);
        // 300 samples: sealed chunks and an open head, with a staleness marker in each.
        for t in 0..300i64 {
            let v = if t % 97 == 50 { STALE_NAN } else { t as f64 };
            s.append(&labels, t * 1000, v).unwrap();
        }
    }
    let matchers = [Matcher::equal("__name__", "up"), Matcher::equal("job", "a")];
    let found = s.select_series(&matchers);
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].1.get("job"), Some("a"));
    let (r, window) = (found[0].0, (10_000, 250_000));
    let (mut ts, mut vs) = (vec![-1], vec![-1.0]);
    s.read_window(r, window, Stale::Keep, &mut ts, &mut vs);
    let sel = s.select(&matchers, window.0, window.1);
    // Appended after what the buffers held.
    assert_eq!(&ts[1..], &sel[0].timestamps[..]);
    let bits = |v: &[f64]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
    assert_eq!(bits(&vs[1..]), bits(&sel[0].values));
    assert_eq!(ts.len(), 1 + 241);
    let (mut ts, mut vs) = (Vec::new(), Vec::new());
    s.read_window(r, window, Stale::Drop, &mut ts, &mut vs);
    // Markers at 50 s, 147 s and 244 s are left out, nothing else.
    assert_eq!(ts.len(), 241 - 3);
    assert!(vs.iter().all(|v| !is_stale_marker(*v)));
    assert!(!ts.contains(&147_000) && ts.contains(&146_000));
}

#[test]
fn limits_in_parts_match_enforce_limits() {
    let build = || {
        let mut s = Store::new();
        for i in 0..7 {
            let labels = l(&[("__name__", "m"), ("i", &i.to_string())]);
            // Series i ends at i * 60 s: the early ones age out entirely.
            for t in 0..(i * 60 + 1) {
                s.append(&labels, t * 1000, t as f64).unwrap();
            }
        }
        s.set_retention(Some(200_000));
        s
    };
    for limit in [None, Some(2_000)] {
        let (mut whole, mut parts) = (build(), build());
        whole.set_memory_limit(limit);
        parts.set_memory_limit(limit);
        let expected = whole.enforce_limits(360_000);
        let mut sum = LimitsPart::default();
        for start in (0..parts.series_count()).step_by(3) {
            sum += parts.limits_part(start..start + 3, 360_000);
        }
        let (report, stats) = parts.finish_limits(sum);
        assert_eq!(report, expected, "memory limit {limit:?}");
        assert_eq!(stats, whole.stats());
        assert_eq!(parts.stats(), whole.stats());
    }
}
