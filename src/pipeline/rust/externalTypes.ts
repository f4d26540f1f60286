/**
 * Types generated Rust code names bare that come from a crate other than the project's own: the
 * one table every Rust mode (Diesel, Actix) imports them from. A type whose crate the project
 * lacks is reported, never imported.
 */
export const EXTERNAL_TYPES: Record<string, { crate: string; path: string }> = {
  NaiveDateTime: { crate: 'chrono', path: 'chrono::NaiveDateTime' },
  NaiveDate: { crate: 'chrono', path: 'chrono::NaiveDate' },
  NaiveTime: { crate: 'chrono', path: 'chrono::NaiveTime' },
  DateTime: { crate: 'chrono', path: 'chrono::DateTime' },
  Utc: { crate: 'chrono', path: 'chrono::Utc' },
  PrimitiveDateTime: { crate: 'time', path: 'time::PrimitiveDateTime' },
  OffsetDateTime: { crate: 'time', path: 'time::OffsetDateTime' },
  Uuid: { crate: 'uuid', path: 'uuid::Uuid' },
  BigDecimal: { crate: 'bigdecimal', path: 'bigdecimal::BigDecimal' },
  Serialize: { crate: 'serde', path: 'serde::Serialize' },
  Deserialize: { crate: 'serde', path: 'serde::Deserialize' },
};
