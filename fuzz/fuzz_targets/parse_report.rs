//! Fuzzes the parsing of a customer's report: any bytes as a JSON body, and any field
//! values, must give either a valid NewIssue or field errors — never a panic — and a
//! NewIssue must always satisfy the limits the database enforces.
#![no_main]

use arbitrary::Arbitrary;
use caredesk_core::domain::PhoneRegion;
use caredesk_core::report::{JsonReport, NewIssue, ReportForm};
use libfuzzer_sys::fuzz_target;

#[derive(Debug, Arbitrary)]
struct Input<'a> {
    body: &'a [u8],
    fields: [Option<String>; 7],
    region: u8,
}

const REGIONS: &[&str] = &["DE", "GB", "US", "FR", "IN", "JP", "BR"];

fn check(form: &ReportForm, region: PhoneRegion) {
    if let Ok(issue) = NewIssue::parse(form, region) {
        let no_controls = |s: &str| !s.chars().any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'));
        assert!(!issue.name.as_str().trim().is_empty() && issue.name.as_str().chars().count() <= 255);
        assert!(issue.email.as_str().contains('@') && issue.email.as_str().chars().count() <= 255);
        assert!(issue.phone.as_typed().chars().count() <= 20);
        assert!(issue.phone.e164().starts_with('+') && issue.phone.e164().len() <= 16);
        assert!(issue.order_id.as_ref().is_none_or(|o| o.as_str().chars().count() <= 100));
        let description = issue.description.as_str();
        assert!((10..=5000).contains(&description.chars().count()));
        for text in [issue.name.as_str(), issue.email.as_str(), issue.phone.as_typed(), description] {
            assert!(no_controls(text));
        }
    }
}

fuzz_target!(|input: Input| {
    let region = PhoneRegion::parse(REGIONS[input.region as usize % REGIONS.len()]).expect("known region");
    // the JSON body, read exactly as the API reads it
    if let Ok(report) = JsonReport::parse(input.body) {
        check(&report.form, region);
    }
    // any field values at all
    let [name, email, phone, order_id, issue_type, description, priority] = input.fields;
    check(&ReportForm { name, email, phone, order_id, issue_type, description, priority, language: None }, region);
});
