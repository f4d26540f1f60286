export default function CustomerDetail() {
  const params = useParams();
  const [customer] = createResource(() => Number(params.id), (id) => dataOrThrow(getCustomer(id)));
  return (
    <section class="card bg-base-100 shadow">
      <div class="card-body">
        <Switch>
          <Match when={customer.error as Error | undefined}>
            {(err) => <div role="alert" class="alert alert-error">Could not load the customer: {err().message}</div>}
          </Match>
          <Match when={customer.loading}>
            <span class="loading loading-spinner" />
          </Match>
          <Match when={customer()}>
            {(record) => (
              <>
                <h1 class="card-title">{record().name}</h1>
                <dl class="grid grid-cols-2 gap-2">
                  <dt class="font-semibold">Email</dt>
                  <dd>{record().email ?? '—'}</dd>
                  <dt class="font-semibold">Phone</dt>
                  <dd>{record().phone ?? '—'}</dd>
                  <dt class="font-semibold">Customer since</dt>
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
