//! The mock's fault-spec parser (`x-mock-fault`, `--fault-every`): any text.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(spec) = std::str::from_utf8(data) else {
        return;
    };
    match applivery_mock::validate_fault_spec(spec) {
        // Directives are separated by commas and trimmed: padding never changes the verdict.
        Ok(()) => assert!(applivery_mock::validate_fault_spec(&format!(" ,{spec}, ")).is_ok()),
        Err(message) => assert!(message.starts_with("fault directive `"), "{message}"),
    }
});
