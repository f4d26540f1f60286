-- The rows the solid set's rendered pages must show (nocodo eval --render), loaded after the
-- bakery's migrations. Fixed ids so a task can open /orders/1; the sequences continue after them.
INSERT INTO customers (id, name, email, phone) VALUES
    (1, 'Ada Baker', 'ada@example.com', '555-0101'),
    (2, 'Bo Brioche', NULL, '555-0102'),
    (3, 'Cy Crumb', 'cy@example.com', NULL);
SELECT setval('customers_id_seq', 3);

INSERT INTO products (id, name, description, price_cents, available) VALUES
    (1, 'Sourdough loaf', NULL, 650, TRUE),
    (2, 'Croissant', 'butter', 220, TRUE),
    (3, 'Stollen', NULL, 1800, FALSE); -- not available: GET /api/products leaves it out
SELECT setval('products_id_seq', 3);

INSERT INTO orders (id, customer_id, status, pickup_at, notes, total_cents, created_at) VALUES
    (1, 1, 'baking', '2026-12-24 09:30:00', 'no seeds please', 1300, '2026-12-01 08:00:00');
SELECT setval('orders_id_seq', 1);
