export default function ProductList() {
  const [products] = createResource(() => dataOrThrow(listProducts()));
  return (
    <section class="card bg-base-100 shadow">
      <div class="card-body">
        <h1 class="card-title">Products</h1>
        <Switch>
          <Match when={products.error as Error | undefined}>
            {(err) => <div role="alert" class="alert alert-error">Could not load products: {err().message}</div>}
          </Match>
          <Match when={products.loading}>
            <span class="loading loading-spinner" />
          </Match>
          <Match when={products()?.length === 0}>
            <p class="text-base-content/70">No products yet.</p>
          </Match>
          <Match when={products()}>
            {(rows) => (
              <div class="overflow-x-auto">
                <table class="table table-zebra">
                  <thead>
                    <tr>
                      <th>Name</th>
                      <th class="text-right">Price</th>
                      <th>Available</th>
                    </tr>
                  </thead>
                  <tbody>
                    <For each={rows()}>
                      {(p) => (
                        <tr>
                          <td>{p.name}</td>
                          <td class="text-right">{(p.price_cents / 100).toFixed(2)}</td>
                          <td>{p.available ? <span class="badge badge-success">yes</span> : <span class="badge badge-ghost">no</span>}</td>
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
