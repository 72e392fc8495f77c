// Must NOT type-check: each push breaks the plan in a different way.
const session_id = "b1946ac9-2c4f-4e1a-9d3b-7f0e8a6c5d21";
// quantity is a number
window.dataLayer.push({ event: "add_to_cart", session_id, sku: "DRS-0042-BLK-M", quantity: "1", price: 79.95, currency: "GBP" });
// sku is required
window.dataLayer.push({ event: "add_to_cart", session_id, quantity: 1, price: 79.95, currency: "GBP" });
// JPY is not one of the plan's currencies
window.dataLayer.push({ event: "add_to_cart", session_id, sku: "DRS-0042-BLK-M", quantity: 1, price: 79.95, currency: "JPY" });
// no such event
window.dataLayer.push({ event: "add_to_bag", session_id });
export {};
