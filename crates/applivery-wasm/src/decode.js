// The success-answer walk of decode.rs, run on the JS side of the package: the wasm calls it once
// per answer instead of crossing into JS for every property it reads (about a hundred crossings
// for one collaborator, ten thousand for a page of a hundred).
//
// The tables come from decode.rs, made once from the spec's generated `FIELDS`:
// [[name, shape, required, nullable, nestedTable?], ...], with `shape` one of the codes below.
// The rules are decode.rs's (see its docs); the wasm tests run this and the generated Rust types
// over the same bodies and require the same result.
//
// `decodeAnswer` returns the path of the first field that is missing or of the wrong type, or
// [value, carriers, count]: `carriers` are the objects whose `oemSecret` holds the secret as a
// string, for decode.rs to hide in wasm memory; `count` is how many items a page has.

const TEXT = 0;
const TEXT_LIST = 1;
const BOOL = 2;
const INTEGER = 3;
const OBJECT = 4;
const ANY = 5;
const RECORD = 6;
const RECORD_LIST = 7;

/** A plain JSON object: not an array, not null. */
function isObject(value) {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isAbsent(value) {
  return value === undefined || value === null;
}

/** Whether a present value is of the shape. */
function fits(shape, value) {
  switch (shape) {
    case TEXT:
      return typeof value === 'string';
    case TEXT_LIST:
      return Array.isArray(value) && value.every((item) => typeof item === 'string');
    case BOOL:
      return typeof value === 'boolean';
    case INTEGER:
      return typeof value === 'number' && value % 1 === 0;
    case OBJECT:
    case RECORD:
      return isObject(value);
    case RECORD_LIST:
      return Array.isArray(value);
    default:
      return shape === ANY;
  }
}

/**
 * Checks a collaborator against `table` and shapes it in place: a required field must be of its
 * type; a missing optional one becomes `null` when nullable and is removed otherwise; a record
 * (`user`) is replaced by a copy of its known, present, well-typed fields. Unknown fields stay.
 * Its OEM secret is `beside` if given, else its own `oemSecret` (a non-string one as its JSON
 * text); with one, it joins `carriers`, without, the key is removed.
 */
function shape(object, table, at, beside, carriers) {
  for (const [name, code, required, nullable, nested] of table) {
    const value = object[name];
    if (isAbsent(value)) {
      if (required) return `${at}.${name}`;
      if (nullable) object[name] = null;
      else delete object[name];
    } else if (code === RECORD) {
      if (!isObject(value)) return `${at}.${name}`;
      const kept = {};
      for (const [inner, innerCode] of nested) {
        const item = value[inner];
        if (isAbsent(item)) continue;
        if (!fits(innerCode, item)) return `${at}.${name}.${inner}`;
        kept[inner] = item;
      }
      object[name] = kept;
    } else if (!fits(code, value)) {
      return `${at}.${name}`;
    }
  }
  const inside = object.oemSecret;
  const text = isAbsent(inside) || typeof inside === 'string' ? inside : JSON.stringify(inside);
  const secret = beside ?? text;
  if (isAbsent(secret)) {
    delete object.oemSecret;
  } else {
    object.oemSecret = secret;
    carriers.push(object);
  }
  return undefined;
}

/**
 * A success answer, `{ status: boolean, data }`: with `page`, a page of collaborators (`data` is
 * `{ items, totalDocs, ... }`, checked against the page's table, every item a collaborator, a
 * missing paging field `null`); else a create's or a refresh's (`data` is
 * `{ collaborator, oemSecret? }`).
 */
export function decodeAnswer(envelope, table, page) {
  if (!isObject(envelope)) return 'the body';
  if (typeof envelope.status !== 'boolean') return 'status';
  const { data } = envelope;
  if (!isObject(data)) return 'data';
  const carriers = [];
  if (!page) {
    const { collaborator, oemSecret: beside } = data;
    if (!isObject(collaborator)) return 'data.collaborator';
    if (!isAbsent(beside) && typeof beside !== 'string') return 'data.oemSecret';
    const invalid = shape(collaborator, table, 'data.collaborator', beside ?? undefined, carriers);
    return invalid ?? [collaborator, carriers, 1];
  }
  let count = 0;
  for (const [name, code, , , nested] of table) {
    const value = data[name];
    if (code === RECORD_LIST) {
      if (!Array.isArray(value)) return `data.${name}`;
      for (const item of value) {
        if (!isObject(item)) return `data.${name}`;
        const invalid = shape(item, nested, 'data.items[]', undefined, carriers);
        if (invalid) return invalid;
      }
      count = value.length;
    } else if (isAbsent(value)) {
      data[name] = null;
    } else if (!fits(code, value)) {
      return `data.${name}`;
    }
  }
  return [data, carriers, count];
}
