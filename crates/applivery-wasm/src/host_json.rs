//! Response decoding for [`applivery::classify_with`]: the host's `JSON.parse` reads the text,
//! and the generated wire types' own `Deserialize` impls read the resulting JS value.
//!
//! Why not serde_json here: its parser and, above all, its error messages (which format every
//! unexpected value, floats included) were the largest part of the package. `JSON.parse` is
//! already in every browser and in Node, and the wire format keeps one source: the generated
//! types of `applivery-api`. Errors carry no text, so no formatting code is linked.

use applivery_api::types::{CreateOemUserResponse, ErrorResponse};
use js_sys::{Array, Object, Reflect};
use serde::Deserialize;
use serde::de::{self, DeserializeSeed, IntoDeserializer, MapAccess, SeqAccess, Visitor};
use wasm_bindgen::{JsCast, JsValue};

/// The [`applivery::WireDecoder`] of the package.
pub(crate) struct HostJson;

impl applivery::WireDecoder for HostJson {
    fn success(&self, body: &[u8]) -> Result<CreateOemUserResponse, String> {
        let value = parse(body).ok_or_else(|| String::from("the body is not JSON"))?;
        CreateOemUserResponse::deserialize(JsDeserializer(value))
            .map_err(|_| String::from("the body is not the documented success envelope"))
    }

    fn error(&self, body: &[u8]) -> Option<ErrorResponse> {
        ErrorResponse::deserialize(JsDeserializer(parse(body)?)).ok()
    }
}

/// `JSON.parse` of a UTF-8 body; `None` for anything else.
fn parse(body: &[u8]) -> Option<JsValue> {
    js_sys::JSON::parse(std::str::from_utf8(body).ok()?).ok()
}

/// A decoding failure; deliberately without a message (see the module docs).
#[derive(Debug)]
pub(crate) struct Invalid;

impl std::fmt::Display for Invalid {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("invalid")
    }
}

impl std::error::Error for Invalid {}

impl de::Error for Invalid {
    fn custom<T: std::fmt::Display>(_: T) -> Self {
        Invalid
    }
}

/// A serde `Deserializer` over a value `JSON.parse` returned.
struct JsDeserializer(JsValue);

/// Largest integer a JS number holds exactly (2^53).
const MAX_SAFE: f64 = 9_007_199_254_740_992.0;

impl<'de> de::Deserializer<'de> for JsDeserializer {
    type Error = Invalid;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Invalid> {
        // The inspection is not generic: only this short match is copied per visitor type.
        match inspect(self.0)? {
            Shape::Unit => visitor.visit_unit(),
            Shape::Bool(flag) => visitor.visit_bool(flag),
            Shape::Negative(number) => visitor.visit_i64(number),
            Shape::Natural(number) => visitor.visit_u64(number),
            Shape::Float(number) => visitor.visit_f64(number),
            Shape::Text(text) => visitor.visit_string(text),
            Shape::Items(items) => visitor.visit_seq(items),
            Shape::Entries(entries) => visitor.visit_map(entries),
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Invalid> {
        if self.0.is_null() || self.0.is_undefined() {
            visitor.visit_none()
        } else {
            visitor.visit_some(self)
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Invalid> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Invalid> {
        // Only unit variants written as strings (the wire types have no other enums).
        let name = self.0.as_string().ok_or(Invalid)?;
        visitor.visit_enum(name.into_deserializer())
    }

    // The typed entry points call only the one visitor method that can succeed: each visitor
    // type then gets a small copy instead of the whole `deserialize_any` dispatch (which also
    // drags in every visitor's error paths).
    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Invalid> {
        visitor.visit_bool(self.0.as_bool().ok_or(Invalid)?)
    }

    fn deserialize_i64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Invalid> {
        visitor.visit_i64(integer(&self.0).ok_or(Invalid)?)
    }

    fn deserialize_f64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Invalid> {
        visitor.visit_f64(self.0.as_f64().ok_or(Invalid)?)
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Invalid> {
        visitor.visit_string(self.0.as_string().ok_or(Invalid)?)
    }

    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Invalid> {
        self.deserialize_string(visitor)
    }

    fn deserialize_identifier<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Invalid> {
        self.deserialize_string(visitor)
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Invalid> {
        match inspect(self.0)? {
            Shape::Items(items) => visitor.visit_seq(items),
            _ => Err(Invalid),
        }
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Invalid> {
        match inspect(self.0)? {
            Shape::Entries(entries) => visitor.visit_map(entries),
            _ => Err(Invalid),
        }
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Invalid> {
        self.deserialize_map(visitor)
    }

    serde::forward_to_deserialize_any! {
        i8 i16 i32 i128 u8 u16 u32 u64 u128 f32 char bytes byte_buf
        unit unit_struct tuple tuple_struct ignored_any
    }
}

/// A JS number that is an integer a JS number holds exactly.
fn integer(value: &JsValue) -> Option<i64> {
    let number = value.as_f64()?;
    (number.fract() == 0.0 && number.abs() < MAX_SAFE).then_some(number as i64)
}

/// What a JS value is, for serde.
enum Shape {
    Unit,
    Bool(bool),
    Negative(i64),
    Natural(u64),
    Float(f64),
    Text(String),
    Items(Items),
    Entries(Entries),
}

fn inspect(value: JsValue) -> Result<Shape, Invalid> {
    Ok(if value.is_null() || value.is_undefined() {
        Shape::Unit
    } else if let Some(flag) = value.as_bool() {
        Shape::Bool(flag)
    } else if let Some(number) = value.as_f64() {
        // Integers stay integers, as serde_json reads them.
        if number.fract() == 0.0 && number.abs() < MAX_SAFE {
            if number < 0.0 {
                Shape::Negative(number as i64)
            } else {
                Shape::Natural(number as u64)
            }
        } else {
            Shape::Float(number)
        }
    } else if let Some(text) = value.as_string() {
        Shape::Text(text)
    } else if Array::is_array(&value) {
        let array: Array = value.unchecked_into();
        Shape::Items(Items {
            length: array.length(),
            array,
            next: 0,
        })
    } else if value.is_object() {
        let keys = Object::keys(value.unchecked_ref::<Object>());
        Shape::Entries(Entries {
            length: keys.length(),
            object: value,
            keys,
            next: 0,
        })
    } else {
        return Err(Invalid);
    })
}

/// The elements of a JS array.
struct Items {
    array: Array,
    length: u32,
    next: u32,
}

impl<'de> SeqAccess<'de> for Items {
    type Error = Invalid;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, Invalid> {
        if self.next >= self.length {
            return Ok(None);
        }
        let item = self.array.get(self.next);
        self.next += 1;
        seed.deserialize(JsDeserializer(item)).map(Some)
    }

    fn size_hint(&self) -> Option<usize> {
        Some((self.length - self.next) as usize)
    }
}

/// The own enumerable properties of a JS object, in `Object.keys` order.
struct Entries {
    object: JsValue,
    keys: Array,
    length: u32,
    next: u32,
}

impl<'de> MapAccess<'de> for Entries {
    type Error = Invalid;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Invalid> {
        if self.next >= self.length {
            return Ok(None);
        }
        seed.deserialize(JsDeserializer(self.keys.get(self.next)))
            .map(Some)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Invalid> {
        let key = self.keys.get(self.next);
        self.next += 1;
        let value = Reflect::get(&self.object, &key).map_err(|_| Invalid)?;
        seed.deserialize(JsDeserializer(value))
    }
}
