// Must type-check against the generated datalayer.d.ts of the example workspace.
import type { AddToCartEvent, DataLayerEvent, DataLayerEventName } from "./datalayer";

const added: AddToCartEvent = {
  event: "add_to_cart",
  session_id: "b1946ac9-2c4f-4e1a-9d3b-7f0e8a6c5d21",
  sku: "DRS-0042-BLK-M",
  quantity: 1,
  price: 79.95,
  currency: "GBP",
};

window.dataLayer.push(added, {
  event: "search",
  session_id: "b1946ac9-2c4f-4e1a-9d3b-7f0e8a6c5d21",
  search_term: "linen dress",
  result_count: 12,
});

function describe(pushed: DataLayerEvent): string {
  // The event name narrows the union to one interface.
  switch (pushed.event) {
    case "purchase":
      return `order ${pushed.order_id} of ${pushed.items.length} items`;
    default:
      return pushed.event;
  }
}

const names: DataLayerEventName[] = ["purchase", "store_pickup_completed"];
export { describe, names };
