export default function OrderDetail() {
  const params = useParams();
  const [order] = createResource(() => Number(params.id), (id) => dataOrThrow(getOrder(id)));
  return (
    <section class="card bg-base-100 shadow">
      <div class="card-body">
        <Switch>
          <Match when={order.error as Error | undefined}>
            {(err) => <div role="alert" class="alert alert-error">Could not load the order: {err().message}</div>}
          </Match>
          <Match when={order.loading}>
            <span class="loading loading-spinner" />
          </Match>
          <Match when={order()}>
            {(record) => (
              <>
                <h1 class="card-title">Order #{record().id}</h1>
                <dl class="grid grid-cols-2 gap-2">
                  <dt class="font-semibold">Customer</dt>
                  <dd>{record().customer_id}</dd>
                  <dt class="font-semibold">Status</dt>
                  <dd>{record().status}</dd>
                  <dt class="font-semibold">Pickup at</dt>
                  <dd>{record().pickup_at ? new Date(record().pickup_at!).toLocaleString() : '—'}</dd>
                  <dt class="font-semibold">Notes</dt>
                  <dd>{record().notes ?? '—'}</dd>
                  <dt class="font-semibold">Total</dt>
                  <dd>{(record().total_cents / 100).toFixed(2)}</dd>
                  <dt class="font-semibold">Created at</dt>
                  <dd>{new Date(record().created_at).toLocaleString()}</dd>
                </dl>
              </>
            )}
          </Match>
        </Switch>
      </div>
    </section>
  );
}
