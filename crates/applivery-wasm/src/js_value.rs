//! Rust values to JS values through their `Serialize` impls: the collaborator, the error fields
//! and the request body reach JS as objects built directly, without serde_json's serializer and
//! number formatting in the wasm (`JSON.stringify` writes the request body).
//!
//! Numbers become JS numbers, as `JSON.parse` would give them; `None` and `()` become `null`.

use js_sys::{Array, Object, Reflect};
use serde::Serialize;
use serde::ser::{self, Impossible};
use wasm_bindgen::JsValue;

use crate::host_json::Invalid;

/// The JS value of `value`.
pub(crate) fn to_js<T: Serialize + ?Sized>(value: &T) -> Result<JsValue, Invalid> {
    value.serialize(JsSerializer)
}

struct JsSerializer;

impl ser::Error for Invalid {
    fn custom<T: std::fmt::Display>(_: T) -> Self {
        Invalid
    }
}

impl ser::Serializer for JsSerializer {
    type Ok = JsValue;
    type Error = Invalid;
    type SerializeSeq = ArrayBuilder;
    type SerializeTuple = ArrayBuilder;
    type SerializeTupleStruct = ArrayBuilder;
    type SerializeTupleVariant = Impossible<JsValue, Invalid>;
    type SerializeMap = ObjectBuilder;
    type SerializeStruct = ObjectBuilder;
    type SerializeStructVariant = Impossible<JsValue, Invalid>;

    fn serialize_bool(self, v: bool) -> Result<JsValue, Invalid> {
        Ok(JsValue::from_bool(v))
    }
    fn serialize_i8(self, v: i8) -> Result<JsValue, Invalid> {
        Ok(JsValue::from_f64(v.into()))
    }
    fn serialize_i16(self, v: i16) -> Result<JsValue, Invalid> {
        Ok(JsValue::from_f64(v.into()))
    }
    fn serialize_i32(self, v: i32) -> Result<JsValue, Invalid> {
        Ok(JsValue::from_f64(v.into()))
    }
    fn serialize_i64(self, v: i64) -> Result<JsValue, Invalid> {
        Ok(JsValue::from_f64(v as f64))
    }
    fn serialize_u8(self, v: u8) -> Result<JsValue, Invalid> {
        Ok(JsValue::from_f64(v.into()))
    }
    fn serialize_u16(self, v: u16) -> Result<JsValue, Invalid> {
        Ok(JsValue::from_f64(v.into()))
    }
    fn serialize_u32(self, v: u32) -> Result<JsValue, Invalid> {
        Ok(JsValue::from_f64(v.into()))
    }
    fn serialize_u64(self, v: u64) -> Result<JsValue, Invalid> {
        Ok(JsValue::from_f64(v as f64))
    }
    fn serialize_f32(self, v: f32) -> Result<JsValue, Invalid> {
        Ok(JsValue::from_f64(v.into()))
    }
    fn serialize_f64(self, v: f64) -> Result<JsValue, Invalid> {
        Ok(JsValue::from_f64(v))
    }
    fn serialize_char(self, v: char) -> Result<JsValue, Invalid> {
        Ok(JsValue::from_str(v.encode_utf8(&mut [0; 4])))
    }
    fn serialize_str(self, v: &str) -> Result<JsValue, Invalid> {
        Ok(JsValue::from_str(v))
    }
    fn serialize_bytes(self, _: &[u8]) -> Result<JsValue, Invalid> {
        Err(Invalid)
    }
    fn serialize_none(self) -> Result<JsValue, Invalid> {
        Ok(JsValue::NULL)
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<JsValue, Invalid> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<JsValue, Invalid> {
        Ok(JsValue::NULL)
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<JsValue, Invalid> {
        Ok(JsValue::NULL)
    }
    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
    ) -> Result<JsValue, Invalid> {
        Ok(JsValue::from_str(variant))
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        value: &T,
    ) -> Result<JsValue, Invalid> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<JsValue, Invalid> {
        Err(Invalid)
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<ArrayBuilder, Invalid> {
        Ok(ArrayBuilder(Array::new()))
    }
    fn serialize_tuple(self, _: usize) -> Result<ArrayBuilder, Invalid> {
        Ok(ArrayBuilder(Array::new()))
    }
    fn serialize_tuple_struct(self, _: &'static str, _: usize) -> Result<ArrayBuilder, Invalid> {
        Ok(ArrayBuilder(Array::new()))
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, Invalid> {
        Err(Invalid)
    }
    fn serialize_map(self, _: Option<usize>) -> Result<ObjectBuilder, Invalid> {
        Ok(ObjectBuilder::new())
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<ObjectBuilder, Invalid> {
        Ok(ObjectBuilder::new())
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, Invalid> {
        Err(Invalid)
    }
}

/// A JS array being filled.
pub(crate) struct ArrayBuilder(Array);

impl ArrayBuilder {
    fn push<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Invalid> {
        self.0.push(&to_js(value)?);
        Ok(())
    }
}

impl ser::SerializeSeq for ArrayBuilder {
    type Ok = JsValue;
    type Error = Invalid;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Invalid> {
        self.push(value)
    }
    fn end(self) -> Result<JsValue, Invalid> {
        Ok(self.0.into())
    }
}

impl ser::SerializeTuple for ArrayBuilder {
    type Ok = JsValue;
    type Error = Invalid;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Invalid> {
        self.push(value)
    }
    fn end(self) -> Result<JsValue, Invalid> {
        Ok(self.0.into())
    }
}

impl ser::SerializeTupleStruct for ArrayBuilder {
    type Ok = JsValue;
    type Error = Invalid;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Invalid> {
        self.push(value)
    }
    fn end(self) -> Result<JsValue, Invalid> {
        Ok(self.0.into())
    }
}

/// A plain JS object being filled, in serialization order.
pub(crate) struct ObjectBuilder {
    object: Object,
    key: JsValue,
}

impl ObjectBuilder {
    fn new() -> Self {
        ObjectBuilder {
            object: Object::new(),
            key: JsValue::UNDEFINED,
        }
    }

    fn set<T: Serialize + ?Sized>(&mut self, key: &JsValue, value: &T) -> Result<(), Invalid> {
        Reflect::set(&self.object, key, &to_js(value)?).map_err(|_| Invalid)?;
        Ok(())
    }
}

impl ser::SerializeMap for ObjectBuilder {
    type Ok = JsValue;
    type Error = Invalid;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), Invalid> {
        let key = to_js(key)?;
        if !key.is_string() {
            return Err(Invalid);
        }
        self.key = key;
        Ok(())
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Invalid> {
        let key = std::mem::replace(&mut self.key, JsValue::UNDEFINED);
        self.set(&key, value)
    }
    fn end(self) -> Result<JsValue, Invalid> {
        Ok(self.object.into())
    }
}

impl ser::SerializeStruct for ObjectBuilder {
    type Ok = JsValue;
    type Error = Invalid;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        name: &'static str,
        value: &T,
    ) -> Result<(), Invalid> {
        self.set(&JsValue::from_str(name), value)
    }
    fn end(self) -> Result<JsValue, Invalid> {
        Ok(self.object.into())
    }
}
