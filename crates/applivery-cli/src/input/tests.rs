use std::io::Write;

use super::*;

fn file(name: &str, bytes: &[u8]) -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(name);
    std::fs::File::create(&path)
        .unwrap()
        .write_all(bytes)
        .unwrap();
    (dir, path)
}

fn read_all(name: &str, bytes: &[u8]) -> Result<Vec<Record>, FileError> {
    let (_dir, path) = file(name, bytes);
    RowReader::open(&path, None)?.collect()
}

fn row(line: u64, email: &str) -> Row {
    row_of(line, serde_json::json!({ "email": email }))
}

/// A row whose request body is `body` (wire names).
fn row_of(line: u64, body: serde_json::Value) -> Row {
    Row {
        line,
        user: serde_json::from_value(body).unwrap(),
    }
}

#[test]
fn csv_rows_carry_their_line_numbers_and_fields() {
    let records = read_all(
        "users.csv",
        b"email,firstName,lastName,tags\n\
          a@example.com,Ann,Lee,blue; green ;\n\
          \n\
          b@example.com,,,\n\
          \"c@example.com\",\"Multi\nLine\",X,\n",
    )
    .unwrap();
    assert_eq!(
        records,
        vec![
            Record::Row(row_of(
                2,
                serde_json::json!({"email": "a@example.com", "firstName": "Ann",
                    "lastName": "Lee", "tags": ["blue", "green"]})
            )),
            Record::Row(row(4, "b@example.com")),
            Record::Row(row_of(
                5,
                serde_json::json!({"email": "c@example.com", "firstName": "Multi\nLine",
                    "lastName": "X"})
            )),
        ]
    );
}

#[test]
fn bom_and_crlf_are_accepted() {
    let records = read_all(
        "users.csv",
        b"\xEF\xBB\xBFemail,firstName\r\na@example.com,Ann\r\nb@example.com,Bob\r\n",
    )
    .unwrap();
    assert_eq!(records.len(), 2);
    assert_eq!(records[1].line(), 3);
    let Record::Row(first) = &records[0] else {
        panic!("{records:?}")
    };
    assert_eq!(first.user.email, "a@example.com");
    assert_eq!(first.user.first_name.as_deref(), Some("Ann"));

    let records = read_all(
        "users.jsonl",
        b"\xEF\xBB\xBF{\"email\":\"a@example.com\"}\r\n\r\n{\"email\":\"b@example.com\"}\r\n",
    )
    .unwrap();
    assert_eq!(
        records,
        vec![
            Record::Row(row(1, "a@example.com")),
            Record::Row(row(3, "b@example.com"))
        ]
    );
}

#[test]
fn header_names_are_matched_loosely_and_unknown_columns_reported() {
    let (_dir, path) = file(
        "users.csv",
        b"Department,E-mail,First Name,last_name,TAGS\nSales,a@example.com,Ann,Lee,x\n",
    );
    let reader = RowReader::open(&path, None).unwrap();
    assert_eq!(reader.unknown_fields(), vec!["Department".to_owned()]);
    let records: Vec<_> = reader.collect::<Result<_, _>>().unwrap();
    assert_eq!(
        records,
        vec![Record::Row(row_of(
            2,
            serde_json::json!({"email": "a@example.com", "firstName": "Ann",
                "lastName": "Lee", "tags": ["x"]})
        ))]
    );
}

#[test]
fn a_header_without_email_is_refused() {
    let error = read_all("users.csv", b"mail,name\na@example.com,Ann\n").unwrap_err();
    assert!(matches!(error, FileError::NoEmailColumn { .. }), "{error}");
    assert!(error.to_string().contains("mail, name"), "{error}");
    let error = read_all("users.csv", b"email,Email\n").unwrap_err();
    assert!(
        matches!(error, FileError::DuplicateColumn { .. }),
        "{error}"
    );
}

#[test]
fn empty_files_are_refused() {
    for bytes in [&b""[..], b"\xEF\xBB\xBF", b"\n\n  \r\n"] {
        for name in ["users.csv", "users.jsonl"] {
            let error = read_all(name, bytes).unwrap_err();
            assert!(
                matches!(error, FileError::Empty),
                "{name} {bytes:?}: {error}"
            );
        }
    }
}

#[test]
fn a_missing_file_is_refused_with_its_path() {
    let error = RowReader::open(std::path::Path::new("/nonexistent/users.csv"), None)
        .err()
        .unwrap();
    assert!(
        error.to_string().contains("/nonexistent/users.csv"),
        "{error}"
    );
}

#[test]
fn non_utf8_bytes_are_refused_with_the_line() {
    let error = read_all("users.csv", b"email\na@example.com\nb\xFF@example.com\n").unwrap_err();
    assert!(matches!(error, FileError::NotUtf8 { line: 3 }), "{error}");
    let error = read_all("users.csv", b"em\xE9il\na@example.com\n").unwrap_err();
    assert!(matches!(error, FileError::NotUtf8 { line: 1 }), "{error}");
    let error = read_all(
        "users.jsonl",
        b"{\"email\":\"a@example.com\"}\n{\"email\":\"\xFF\"}\n",
    )
    .unwrap_err();
    assert!(matches!(error, FileError::NotUtf8 { line: 2 }), "{error}");
}

#[test]
fn malformed_rows_are_invalid_records_and_reading_goes_on() {
    let records = read_all(
        "users.csv",
        b"email,firstName\na@example.com,Ann,extra\nb@example.com,Bob\n",
    )
    .unwrap();
    assert!(
        matches!(&records[0], Record::Invalid { line: 2, email: Some(e), .. } if e == "a@example.com"),
        "{records:?}"
    );
    assert_eq!(
        records[1],
        Record::Row(row_of(
            3,
            serde_json::json!({"email": "b@example.com", "firstName": "Bob"})
        ))
    );

    let records = read_all(
        "users.jsonl",
        b"[1]\n{oops\n{\"email\":\"c@example.com\",\"tags\":\"x\"}\n{\"email\":\"d@example.com\",\"dept\":1,\"tags\":[\"a\"],\"firstName\":null}\n",
    )
    .unwrap();
    let lines: Vec<_> = records
        .iter()
        .map(|r| (r.line(), matches!(r, Record::Invalid { .. })))
        .collect();
    assert_eq!(lines, vec![(1, true), (2, true), (3, true), (4, false)]);
}

#[test]
fn format_is_detected_from_extension_then_content() {
    let (_dir, path) = file("users.txt", b"email\na@example.com\n");
    assert_eq!(RowReader::open(&path, None).unwrap().format(), Format::Csv);
    let (_dir, path) = file("users", b"{\"email\":\"a@example.com\"}\n");
    assert_eq!(
        RowReader::open(&path, None).unwrap().format(),
        Format::Jsonl
    );
    let (_dir, path) = file("users.ndjson", b"{\"email\":\"a@example.com\"}\n");
    assert_eq!(
        RowReader::open(&path, None).unwrap().format(),
        Format::Jsonl
    );
    let (_dir, path) = file("users.json", b"email\na@example.com\n");
    assert_eq!(
        RowReader::open(&path, Some(Format::Csv)).unwrap().format(),
        Format::Csv
    );
}

#[test]
fn fingerprints_differ_when_content_does() {
    let a = row(2, "a@example.com");
    let mut b = a.clone();
    b.line = 9;
    assert_eq!(
        a.fingerprint(),
        b.fingerprint(),
        "the line is keyed separately"
    );
    b.user.first_name = Some("Ann".into());
    assert_ne!(a.fingerprint(), b.fingerprint());
    let mut c = a.clone();
    c.user.tags = vec!["x".into()];
    assert_ne!(a.fingerprint(), c.fingerprint());
    // Fixed value: the journal format depends on it staying the same across builds.
    assert_eq!(row(1, "").fingerprint(), row(7, "").fingerprint());
}

/// The shared table of headers (also run against the rule itself and the admin page's reader):
/// each header with one data row `v0,v1,...` through the real reader.
#[test]
fn headers_are_read_as_the_shared_table_says() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../applivery-api/tests/csv_headers.json");
    let table: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let cases = table["cases"].as_array().unwrap();
    assert!(cases.len() >= 20);
    for case in cases {
        let name = case["name"].as_str().unwrap();
        let header = case["header"].as_str().unwrap();
        let width = header.split(',').count();
        let data: Vec<String> = (0..width).map(|i| format!("v{i}")).collect();
        let bytes = format!("{header}\n{}\n", data.join(","));
        let (_dir, path) = file("users.csv", bytes.as_bytes());
        let result = RowReader::open(&path, None);
        if let Some(error) = case.get("error") {
            let error_name = match result.as_ref().err() {
                Some(FileError::NoEmailColumn { .. }) => "missing email".to_owned(),
                Some(FileError::DuplicateColumn { name }) => format!("duplicate {name}"),
                other => format!("{other:?}"),
            };
            let (reason, property) = error.as_object().unwrap().iter().next().unwrap();
            let expected = format!("{reason} {}", property.as_str().unwrap());
            assert_eq!(error_name, expected, "{name}");
            continue;
        }
        let mut reader = result.unwrap_or_else(|e| panic!("{name}: {e}"));
        let unknown: Vec<String> = serde_json::from_value(case["unknown"].clone()).unwrap();
        assert_eq!(reader.unknown_fields(), unknown, "{name}");
        let value = |property: &str| case["columns"][property].as_u64().map(|i| format!("v{i}"));
        let mut body = serde_json::Map::new();
        for (property, _) in case["columns"].as_object().unwrap() {
            let cell = serde_json::Value::from(value(property));
            let list = property == "tags";
            body.insert(
                property.clone(),
                if list { vec![cell].into() } else { cell },
            );
        }
        body.entry("email").or_insert("".into());
        let expected = row_of(2, body.into());
        match reader.next() {
            Some(Ok(Record::Row(row))) => assert_eq!(row, expected, "{name}"),
            other => panic!("{name}: {other:?}"),
        }
    }
}
