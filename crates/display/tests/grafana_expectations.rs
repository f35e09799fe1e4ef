//! Expected outputs taken from Grafana's own test suites (packages/grafana-data:
//! valueFormats.test.ts, dateTimeFormatters.test.ts, symbolFormatters.test.ts,
//! arithmeticFormatters.test.ts, fieldReducer.test.ts), checked against this crate.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use signalboard_display::reducers::reduce;
use signalboard_display::units::{format_raw, to_fixed};

fn raw(unit: &str, decimals: Option<u32>, value: f64) -> String {
    format_raw(value, unit, decimals).to_string()
}

#[test]
fn value_formats_test_cases() {
    let cases: [(&str, Option<u32>, f64, &str); 23] = [
        ("currencyUSD", Some(2), 1532.82, "$1.53K"),
        ("currencyKRW", Some(2), 1532.82, "₩1.53K"),
        ("currencyIDR", Some(2), 1532.82, "Rp1.53K"),
        ("ms", Some(4), 0.0024, "0.0024 ms"),
        ("ms", Some(0), 100.0, "100 ms"),
        ("ms", Some(2), 1250.0, "1.25 s"),
        ("ms", Some(1), 10000086.123, "2.8 hour"),
        ("ms", Some(0), 1200.0, "1 s"),
        ("short", Some(0), 98765.0, "99 K"),
        ("short", Some(0), 9876543.0, "10 Mil"),
        ("kbytes", Some(3), 10000000.0, "9.537 GiB"),
        ("deckbytes", Some(3), 10000000.0, "10.000 GB"),
        ("megwatt", Some(3), 1000.0, "1.000 GW"),
        ("kohm", Some(3), 1000.0, "1.000 MΩ"),
        ("Mohm", Some(3), 1000.0, "1.000 GΩ"),
        ("farad", Some(3), 1000.0, "1.000 kF"),
        ("µfarad", Some(3), 1000.0, "1.000 mF"),
        ("nfarad", Some(3), 1000.0, "1.000 µF"),
        ("pfarad", Some(3), 1000.0, "1.000 nF"),
        ("ffarad", Some(3), 1000.0, "1.000 pF"),
        ("henry", Some(3), 1000.0, "1.000 kH"),
        ("mhenry", Some(3), 1000.0, "1.000 H"),
        ("µhenry", Some(3), 1000.0, "1.000 mH"),
    ];
    for (unit, decimals, value, expected) in cases {
        assert_eq!(
            raw(unit, decimals, value),
            expected,
            "{unit} {decimals:?} {value}"
        );
    }
}

#[test]
fn to_fixed_test_cases() {
    assert_eq!(to_fixed(100.0, None), "100");
    assert_eq!(to_fixed(100.4, None), "100");
    assert_eq!(to_fixed(100.5, None), "101");
    assert_eq!(to_fixed(100.0, Some(1)), "100.0");
    assert_eq!(to_fixed(100.37, Some(1)), "100.4");
    assert_eq!(to_fixed(100.63, Some(1)), "100.6");
    assert_eq!(to_fixed(100.4, Some(2)), "100.40");
    assert_eq!(to_fixed(100.5, Some(2)), "100.50");
    assert_eq!(to_fixed(f64::NAN, None), "NaN");
    assert_eq!(to_fixed(f64::NEG_INFINITY, None), "-∞");
    assert_eq!(to_fixed(f64::INFINITY, None), "∞");
}

#[test]
fn duration_test_cases() {
    let cases: [(&str, f64, Option<u32>, &str); 9] = [
        ("dtdurationms", 0.0, Some(0), "0 milliseconds"),
        ("dtdurationms", 1.0, Some(0), "1 millisecond"),
        ("dtdurationms", -1.0, Some(0), "1 millisecond ago"),
        ("dtdurations", 1.0, Some(0), "1 second"),
        ("dtdurationms", 38898367008.0, Some(0), "1 year"),
        ("dtdurationms", 38898367008.0, Some(1), "1 year, 2 months"),
        (
            "dtdurationms",
            38898367008.0,
            Some(20),
            "1 year, 2 months, 3 weeks, 4 days, 5 hours, 6 minutes, 7 seconds, 8 milliseconds",
        ),
        (
            "dtdurationms",
            36993906007.0,
            Some(8),
            "1 year, 2 months, 0 weeks, 3 days, 4 hours, 5 minutes, 6 seconds, 7 milliseconds",
        ),
        (
            "dtdurations",
            1.5 * 86400.0,
            Some(2),
            "1 day, 12 hours, 0 minutes",
        ),
    ];
    for (unit, value, decimals, expected) in cases {
        assert_eq!(
            raw(unit, decimals, value),
            expected,
            "{unit} {value} {decimals:?}"
        );
    }
    let dhms: [(f64, &str); 9] = [
        (1.0, "00:00:01"),
        (-1.0, "00:00:01 ago"),
        (0.0, "00:00:00"),
        (86399.0, "23:59:59"),
        (86400.0, "1 d 00:00:00"),
        (360000.0, "4 d 04:00:00"),
        (1179811.0, "13 d 15:43:31"),
        (-1179811.0, "13 d 15:43:31 ago"),
        (116876364.0, "1352 d 17:39:24"),
    ];
    for (value, expected) in dhms {
        assert_eq!(raw("dtdhms", None, value), expected, "dtdhms {value}");
    }
    assert_eq!(raw("dthms", None, 1.0), "00:00:01");
}

#[test]
fn clock_test_cases() {
    let cases: [(f64, Option<u32>, &str); 14] = [
        (999.0, Some(0), "999ms"),
        (59999.0, None, "59s:999ms"),
        (59999.0, Some(0), "59s"),
        (3599999.0, None, "59m:59s:999ms"),
        (3599999.0, Some(0), "59m"),
        (3599999.0, Some(1), "59m:59s"),
        (7199999.0, None, "01h:59m:59s:999ms"),
        (7199999.0, Some(0), "01h"),
        (7199999.0, Some(1), "01h:59m"),
        (7199999.0, Some(2), "01h:59m:59s"),
        (89999999.0, None, "24h:59m:59s:999ms"),
        (89999999.0, Some(0), "24h"),
        (89999999.0, Some(1), "24h:59m"),
        (89999999.0, Some(2), "24h:59m:59s"),
    ];
    for (value, decimals, expected) in cases {
        assert_eq!(
            raw("clockms", decimals, value),
            expected,
            "clockms {value} {decimals:?}"
        );
    }
}

#[test]
fn nanoseconds_and_seconds_test_cases() {
    let cases: [(f64, &str, &str); 7] = [
        (10.0, "10", " ns"),
        (3000.0, "3", " µs"),
        (4000000.0, "4", " ms"),
        (5000000000.0, "5", " s"),
        (480000000000.0, "8", " min"),
        (32400000000000.0, "9", " hour"),
        (864000000000000.0, "10", " day"),
    ];
    for (value, text, suffix) in cases {
        let v = format_raw(value, "ns", None);
        assert_eq!(
            (v.text.as_str(), v.suffix.as_str()),
            (text, suffix),
            "ns {value}"
        );
    }
    let zero = format_raw(0.0, "s", None);
    assert_eq!((zero.text.as_str(), zero.suffix.as_str()), ("0", " s"));
}

#[test]
fn currency_and_si_prefix_test_cases() {
    // currency('@') is the `currency:@` custom unit.
    let cases: [(f64, &str, &str, &str); 12] = [
        (0.0, "@", "", "0"),
        (999.0, "@", "", "999"),
        (1000.0, "@", "K", "1"),
        (1000000.0, "@", "M", "1"),
        (1000000000.0, "@", "B", "1"),
        (1000000000000.0, "@", "T", "1"),
        (1000000000000000.0, "@", "T", "1000"),
        (-1000000000000.0, "-@", "T", "1"),
        (-1000000000.0, "-@", "B", "1"),
        (-1000000.0, "-@", "M", "1"),
        (-1000.0, "-@", "K", "1"),
        (-999.0, "-@", "", "999"),
    ];
    for (value, prefix, suffix, text) in cases {
        let v = format_raw(value, "currency:@", None);
        assert_eq!(
            (v.prefix.as_str(), v.suffix.as_str(), v.text.as_str()),
            (prefix, suffix, text),
            "{value}"
        );
    }
    let si: [(f64, &str, &str); 12] = [
        (0.0, " V", "0"),
        (999.0, " V", "999"),
        (1000.0, " kV", "1"),
        (1000000.0, " MV", "1"),
        (1000000000.0, " GV", "1"),
        (1000000000000.0, " TV", "1"),
        (1000000000000000.0, " PV", "1"),
        (-1000000000000.0, " TV", "-1"),
        (-1000000000.0, " GV", "-1"),
        (-1000000.0, " MV", "-1"),
        (-1000.0, " kV", "-1"),
        (-999.0, " V", "-999"),
    ];
    for (value, suffix, text) in si {
        let v = format_raw(value, "volt", None);
        assert_eq!(
            (v.prefix.as_str(), v.suffix.as_str(), v.text.as_str()),
            ("", suffix, text),
            "{value}"
        );
    }
}

#[test]
fn hex_test_cases() {
    assert_eq!(raw("hex", Some(0), 100.0), "64");
    assert_eq!(raw("hex", Some(0), -100.0), "-64");
    assert_eq!(raw("hex", Some(1), 50.52), "32.8");
    assert_eq!(raw("hex", Some(2), -50.333), "-32.547AE147AE14");
    assert_eq!(raw("hex0x", Some(0), 7999.0), "0x1F3F");
    assert_eq!(raw("hex0x", Some(0), -584.0), "-0x248");
    assert_eq!(raw("hex0x", Some(3), 74.443), "0x4A.716872B020C4");
    assert_eq!(raw("hex0x", Some(1), -65.458), "-0x41.8");
}

#[test]
fn field_reducer_test_cases() {
    let ab = [Some(10.0), Some(20.0)];
    assert_eq!(reduce(&ab, "first").unwrap(), Some(10.0));
    assert_eq!(reduce(&ab, "last").unwrap(), Some(20.0));
    assert_eq!(reduce(&ab, "mean").unwrap(), Some(15.0));
    assert_eq!(reduce(&ab, "count").unwrap(), Some(2.0));
    assert_eq!(reduce(&ab, "distinctCount").unwrap(), Some(2.0));
    assert_eq!(reduce(&ab, "changeCount").unwrap(), Some(1.0));
    let steps = [Some(100.0), Some(200.0), Some(300.0), Some(400.0)];
    assert_eq!(reduce(&steps, "step").unwrap(), Some(100.0));
    assert_eq!(reduce(&steps, "delta").unwrap(), Some(300.0));
    let all_null = [None, None, None, None];
    assert_eq!(reduce(&[], "allIsNull").unwrap(), Some(1.0));
    assert_eq!(reduce(&all_null, "allIsNull").unwrap(), Some(1.0));
    assert_eq!(reduce(&[], "allIsZero").unwrap(), Some(0.0));
    assert_eq!(reduce(&all_null, "allIsZero").unwrap(), Some(0.0));
    assert_eq!(reduce(&[Some(0.0); 4], "allIsZero").unwrap(), Some(1.0));
    let gappy = [None, Some(200.0), None];
    assert_eq!(reduce(&gappy, "first").unwrap(), None);
    assert_eq!(reduce(&gappy, "last").unwrap(), None);
    assert_eq!(reduce(&gappy, "firstNotNull").unwrap(), Some(200.0));
    assert_eq!(reduce(&gappy, "lastNotNull").unwrap(), Some(200.0));
    assert_eq!(reduce(&gappy, "diffperc").unwrap(), Some(0.0));
    assert_eq!(reduce(&all_null[..3], "lastNotNull").unwrap(), None);
    assert_eq!(reduce(&all_null[..3], "firstNotNull").unwrap(), None);
}

mod value_mappings {
    use signalboard_display::mappings::{
        apply_mappings, MappingResult, MappingValue, SpecialMatch, ValueMapping,
    };

    fn text(t: &str) -> MappingResult {
        MappingResult {
            text: Some(t.to_string()),
            ..MappingResult::default()
        }
    }

    fn special(m: SpecialMatch, t: &str) -> ValueMapping {
        ValueMapping::Special {
            matches: m,
            result: text(t),
        }
    }

    /// Grafana's `testSet1` in valueMappings.test.ts.
    fn test_set_1() -> Vec<ValueMapping> {
        vec![
            ValueMapping::Value(vec![("11".into(), text("elva"))]),
            ValueMapping::Value(vec![("Infinity".into(), text("wow infinity!"))]),
            ValueMapping::Value(vec![("-Infinity".into(), text("wow negative infinity!"))]),
            ValueMapping::Range {
                from: Some(1.0),
                to: Some(9.0),
                result: text("1-9"),
            },
            ValueMapping::Range {
                from: Some(8.0),
                to: Some(12.0),
                result: text("8-12"),
            },
            special(SpecialMatch::Null, "it is null"),
            special(SpecialMatch::NaN, "it is nan"),
            special(SpecialMatch::True, "it is true"),
            special(SpecialMatch::False, "it is false"),
        ]
    }

    fn text_of(set: &[ValueMapping], v: MappingValue<'_>) -> Option<String> {
        apply_mappings(set, v).map(|r| r.text.unwrap_or_default())
    }

    #[test]
    fn test_set_1_cases() {
        let set = test_set_1();
        assert_eq!(apply_mappings(&[], MappingValue::Text("10")), None);
        assert_eq!(text_of(&set, MappingValue::Text("100")), None);
        assert_eq!(
            text_of(&set, MappingValue::Text("11")).as_deref(),
            Some("elva")
        );
        assert_eq!(
            text_of(&set, MappingValue::Number(f64::INFINITY)).as_deref(),
            Some("wow infinity!")
        );
        assert_eq!(
            text_of(&set, MappingValue::Number(f64::NEG_INFINITY)).as_deref(),
            Some("wow negative infinity!")
        );
        assert_eq!(
            text_of(&set, MappingValue::Number(11.0)).as_deref(),
            Some("elva")
        );
        assert_eq!(
            text_of(&set, MappingValue::Null).as_deref(),
            Some("it is null")
        );
        assert_eq!(
            text_of(&set, MappingValue::Number(f64::NAN)).as_deref(),
            Some("it is nan")
        );
        assert_eq!(
            text_of(&set, MappingValue::Text("9")).as_deref(),
            Some("1-9")
        );
        assert_eq!(
            text_of(&set, MappingValue::Text("12")).as_deref(),
            Some("8-12")
        );
    }

    #[test]
    fn numeric_like_text_cases() {
        let set = [ValueMapping::Value(vec![
            ("2/0/12".into(), text("mapped value 1")),
            ("20whatever".into(), text("mapped value 2")),
            ("2:0".into(), text("mapped value 3")),
            ("192.168.1.1".into(), text("mapped value ip")),
            ("9.9".into(), text("OK")),
        ])];
        let cases: [(MappingValue<'_>, Option<&str>); 13] = [
            (MappingValue::Text("2/0/12"), Some("mapped value 1")),
            (MappingValue::Text("2/1/12"), None),
            (MappingValue::Text("2:0"), Some("mapped value 3")),
            (MappingValue::Text("2:1"), None),
            (MappingValue::Text("20whatever"), Some("mapped value 2")),
            (MappingValue::Text("20whateve"), None),
            (MappingValue::Text("20"), None),
            (MappingValue::Text("00020.4"), None),
            (MappingValue::Text("192.168.1.1"), Some("mapped value ip")),
            (MappingValue::Text("192"), None),
            (MappingValue::Text("192.168"), None),
            (MappingValue::Text("192.168.1"), None),
            (MappingValue::Number(9.9), Some("OK")),
        ];
        for (value, expected) in cases {
            assert_eq!(text_of(&set, value).as_deref(), expected, "{value:?}");
        }
    }

    #[test]
    fn regex_cases() {
        let set = [
            ValueMapping::Regex {
                pattern: "^([^.]*).foo.com$".into(),
                result: text("Hostname $1"),
            },
            ValueMapping::Regex {
                pattern: "^([^.]*).bar.com$".into(),
                result: text("Hostname $1"),
            },
            ValueMapping::Regex {
                pattern: "/hello/".into(),
                result: MappingResult {
                    color: Some("red".into()),
                    ..MappingResult::default()
                },
            },
        ];
        assert_eq!(
            text_of(&set, MappingValue::Text("www.foo.com")).as_deref(),
            Some("Hostname www")
        );
        assert_eq!(
            text_of(&set, MappingValue::Text("ftp.bar.com")).as_deref(),
            Some("Hostname ftp")
        );
        assert_eq!(
            apply_mappings(&set, MappingValue::Text("www.baz.com")),
            None
        );
        let hello = apply_mappings(&set, MappingValue::Text("hello my name is")).unwrap();
        assert_eq!((hello.text, hello.color.as_deref()), (None, Some("red")));
        let multiline = [ValueMapping::Regex {
            pattern: "/.*/s".into(),
            result: text("WOW IT REPLACED EVERYTHING OVER MULTIPLE LINES"),
        }];
        assert_eq!(
            text_of(&multiline, MappingValue::Text("hello \n my name is")).as_deref(),
            Some("WOW IT REPLACED EVERYTHING OVER MULTIPLE LINES")
        );
    }
}

mod display_processor {
    use signalboard_display::display::{display_value, FieldDisplay};
    use signalboard_display::mappings::{MappingResult, ValueMapping};
    use signalboard_display::thresholds::{Thresholds, ThresholdsMode};
    use signalboard_display::units::format_value;

    fn shown(value: f64, unit: &str) -> (String, String) {
        let v = format_value(value, unit, None);
        (v.text, v.suffix)
    }

    #[test]
    fn stat_values_keep_automatic_decimals() {
        let pair = |t: &str, s: &str| (t.to_string(), s.to_string());
        assert_eq!(shown(1000.0, "short"), pair("1", " K"));
        assert_eq!(shown(1200.0, "short"), pair("1.20", " K"));
        assert_eq!(shown(1250.0, "short"), pair("1.25", " K"));
        assert_eq!(shown(1_000_000.0, "short"), pair("1", " Mil"));
        assert_eq!(shown(1_500_000.0, "short"), pair("1.50", " Mil"));
        assert_eq!(shown(1_500_000.0, "locale"), pair("1,500,000", ""));
        assert_eq!(shown(1_280_000_125.0, "bytes"), pair("1.19", " GiB"));
        assert_eq!(
            format_value(100030303.0, "bytes", Some(2)).to_string(),
            "95.40 MiB"
        );
        assert_eq!(
            format_value(0.0, "dateTimeAsUS", None).to_string(),
            "01/01/1970 12:00:00 am"
        );
        assert_eq!(format_value(0.0, "time:YYYY", None).to_string(), "1970");
    }

    #[test]
    fn mappings_colours_and_null() {
        // Grafana returns colours as written ('#FFF'); this crate normalises to #RRGGBB.
        let field = FieldDisplay {
            decimals: Some(2),
            mappings: vec![ValueMapping::Range {
                from: Some(1.0),
                to: Some(9.0),
                result: MappingResult {
                    color: Some("#FFF".into()),
                    ..MappingResult::default()
                },
            }],
            ..FieldDisplay::default()
        };
        let v = display_value(Some(5.0), &field);
        assert_eq!((v.text.as_str(), v.color.as_str()), ("5.00", "#FFFFFF"));
        let based = FieldDisplay {
            thresholds: Thresholds::from_json_steps(ThresholdsMode::Absolute, &[(None, "#AAA")]),
            ..FieldDisplay::default()
        };
        let v = display_value(None, &based);
        assert_eq!((v.text.as_str(), v.color.as_str()), ("", "#AAAAAA"));
        let watt = FieldDisplay {
            unit: "watt".into(),
            decimals: Some(1),
            mappings: vec![ValueMapping::Value(vec![(
                "1".into(),
                MappingResult {
                    text: Some("mapped".into()),
                    ..MappingResult::default()
                },
            )])],
            ..FieldDisplay::default()
        };
        // "should not map 1kW to the value for 1W".
        assert_eq!(display_value(Some(1000.0), &watt).full_text(), "1.0 kW");
    }
}

mod thresholds {
    use signalboard_display::thresholds::{active_step, Thresholds, ThresholdsMode};

    fn color_at(t: &Thresholds, value: f64) -> String {
        active_step(value, t, 0.0, 1.0).unwrap().1.color.clone()
    }

    #[test]
    fn find_active() {
        // The first step becomes −∞ whatever its value, as validateFieldConfig does.
        let t = Thresholds::from_json_steps(
            ThresholdsMode::Absolute,
            &[
                (Some(1.0), "ONE"),
                (Some(10.0), "TEN"),
                (Some(100.0), "HHH"),
            ],
        );
        let cases = [
            (-1.0, "ONE"),
            (1.0, "ONE"),
            (5.0, "ONE"),
            (10.0, "TEN"),
            (11.0, "TEN"),
            (99.0, "TEN"),
            (100.0, "HHH"),
            (1000.0, "HHH"),
        ];
        for (value, expected) in cases {
            assert_eq!(color_at(&t, value), expected, "{value}");
        }
    }

    #[test]
    fn absolute_and_percent_colours() {
        let one = Thresholds::from_json_steps(ThresholdsMode::Absolute, &[(None, "#7EB26D")]);
        assert_eq!(color_at(&one, 49.0), "#7EB26D");
        let three = |mode| {
            Thresholds::from_json_steps(
                mode,
                &[
                    (Some(0.0), "#7EB26D"),
                    (Some(50.0), "#EAB839"),
                    (Some(75.0), "#6ED0E0"),
                ],
            )
        };
        let abs = three(ThresholdsMode::Absolute);
        assert_eq!(color_at(&abs, 50.0), "#EAB839");
        assert_eq!(color_at(&abs, 55.0), "#EAB839");
        let pct = three(ThresholdsMode::Percentage);
        // Grafana compares percent × 100; here the value 0.9 of 0..1 is 90 %.
        assert_eq!(color_at(&pct, 0.9), "#6ED0E0");
        assert_eq!(color_at(&pct, 0.5), "#EAB839");
        assert_eq!(color_at(&pct, 0.2), "#7EB26D");
    }
}
