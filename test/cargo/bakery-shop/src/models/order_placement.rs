use std::collections::HashMap;

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Deserialize;

use crate::models::order::Order;
use crate::schema::{customers, order_items, orders, products};

/// One line of an order as the shop sends it: which product, how many.
#[derive(Debug, Deserialize)]
pub struct OrderLine {
    pub product_id: i32,
    pub quantity: i32,
}

/// An order as a customer places it. Prices are taken from the products table, never from the
/// client, and the order's total is the sum of its lines.
#[derive(Debug, Deserialize)]
pub struct OrderPlacement {
    pub pickup_at: Option<NaiveDateTime>,
    pub notes: Option<String>,
    pub lines: Vec<OrderLine>,
}

/// Why an order could not be placed.
#[derive(Debug)]
pub enum PlacementError {
    NoLines,
    BadQuantity { product_id: i32, quantity: i32 },
    UnknownCustomer(i32),
    UnavailableProduct(i32),
    Database(diesel::result::Error),
}

impl From<diesel::result::Error> for PlacementError {
    fn from(e: diesel::result::Error) -> Self {
        PlacementError::Database(e)
    }
}

/// Places an order with its lines in one transaction: either the order and all its items are
/// written, or nothing is.
pub fn place_order(
    conn: &mut PgConnection,
    customer_id: i32,
    placement: &OrderPlacement,
) -> Result<Order, PlacementError> {
    if placement.lines.is_empty() {
        return Err(PlacementError::NoLines);
    }
    if let Some(line) = placement.lines.iter().find(|l| l.quantity <= 0) {
        return Err(PlacementError::BadQuantity { product_id: line.product_id, quantity: line.quantity });
    }
    conn.transaction(|conn| {
        let known: bool = diesel::select(diesel::dsl::exists(customers::table.find(customer_id))).get_result(conn)?;
        if !known {
            return Err(PlacementError::UnknownCustomer(customer_id));
        }
        let product_ids: Vec<i32> = placement.lines.iter().map(|l| l.product_id).collect();
        let prices: HashMap<i32, i64> = products::table
            .filter(products::id.eq_any(&product_ids))
            .filter(products::available.eq(true))
            .select((products::id, products::price_cents))
            .load::<(i32, i64)>(conn)?
            .into_iter()
            .collect();
        let mut total_cents = 0i64;
        for line in &placement.lines {
            let price = prices.get(&line.product_id).ok_or(PlacementError::UnavailableProduct(line.product_id))?;
            total_cents += price * i64::from(line.quantity);
        }
        let order = diesel::insert_into(orders::table)
            .values((
                orders::customer_id.eq(customer_id),
                orders::pickup_at.eq(placement.pickup_at),
                orders::notes.eq(placement.notes.as_deref()),
                orders::total_cents.eq(total_cents),
            ))
            .returning(Order::as_returning())
            .get_result(conn)?;
        let items: Vec<_> = placement
            .lines
            .iter()
            .map(|l| {
                (
                    order_items::order_id.eq(order.id),
                    order_items::product_id.eq(l.product_id),
                    order_items::quantity.eq(l.quantity),
                    order_items::unit_price_cents.eq(prices[&l.product_id]),
                )
            })
            .collect();
        diesel::insert_into(order_items::table).values(&items).execute(conn)?;
        Ok(order)
    })
}

/// A customer's orders, newest first (the id breaks ties between orders of the same instant).
pub fn orders_newest_first(conn: &mut PgConnection, customer_id: i32) -> QueryResult<Vec<Order>> {
    orders::table
        .filter(orders::customer_id.eq(customer_id))
        .order((orders::created_at.desc(), orders::id.desc()))
        .select(Order::as_select())
        .load(conn)
}
