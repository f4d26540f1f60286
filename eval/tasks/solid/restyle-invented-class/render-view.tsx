// Mounted by `nocodo eval --render`: the restyled badge, given the seeded order's pickup time from the API.
import { createResource, Show } from 'solid-js';
import { dataOrThrow, getOrder } from './api/client';
import PickupBadge from './components/PickupBadge';

export default function BadgeView() {
  const [order] = createResource(() => dataOrThrow(getOrder(1)));
  return <Show when={order()}>{(o) => <PickupBadge pickupAt={o().pickup_at} />}</Show>;
}
