// Mounted by `nocodo eval --render`: the restyled note, given the seeded order's notes from the API.
import { createResource, Show } from 'solid-js';
import { dataOrThrow, getOrder } from './api/client';
import OrderNote from './components/OrderNote';

export default function NoteView() {
  const [order] = createResource(() => dataOrThrow(getOrder(1)));
  return <Show when={order()}>{(o) => <OrderNote note={o().notes} onDismiss={() => undefined} />}</Show>;
}
