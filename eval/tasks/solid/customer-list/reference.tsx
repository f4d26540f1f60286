export default function CustomerList() {
  const [customers] = createResource(() => dataOrThrow(listCustomers()));
  return (
    <section class="card bg-base-100 shadow">
      <div class="card-body">
        <h1 class="card-title">Customers</h1>
        <Switch>
          <Match when={customers.error as Error | undefined}>
            {(err) => <div role="alert" class="alert alert-error">Could not load customers: {err().message}</div>}
          </Match>
          <Match when={customers.loading}>
            <span class="loading loading-spinner" />
          </Match>
          <Match when={customers()?.length === 0}>
            <p class="text-base-content/70">No customers yet.</p>
          </Match>
          <Match when={customers()}>
            {(rows) => (
              <div class="overflow-x-auto">
                <table class="table table-zebra">
                  <thead>
                    <tr>
                      <th>Name</th>
                      <th>Email</th>
                      <th>Phone</th>
                    </tr>
                  </thead>
                  <tbody>
                    <For each={rows()}>
                      {(c) => (
                        <tr>
                          <td>{c.name}</td>
                          <td>{c.email ?? '—'}</td>
                          <td>{c.phone ?? '—'}</td>
                        </tr>
                      )}
                    </For>
                  </tbody>
                </table>
              </div>
            )}
          </Match>
        </Switch>
      </div>
    </section>
  );
}
