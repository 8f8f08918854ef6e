//! The CLI's CSV row reader: any bytes as an import file.
#![no_main]

use applivery_cli::input::Format;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| applivery_fuzz::read_rows(data, Format::Csv));
