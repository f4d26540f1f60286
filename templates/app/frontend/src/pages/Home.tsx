import { createResource, Match, Switch } from 'solid-js';
import { dataOrThrow, health } from '../api/client';

export default function Home() {
  const [status] = createResource(() => dataOrThrow(health()));
  return (
    <section class="card bg-base-100 shadow">
      <div class="card-body">
        <h1 class="card-title">{{app_name}}</h1>
        <Switch>
          <Match when={status.error as Error | undefined}>
            {(err) => <div role="alert" class="alert alert-error">The server does not answer: {err().message}</div>}
          </Match>
          <Match when={status.loading}>
            <span class="loading loading-spinner" />
          </Match>
          <Match when={status()}>
            {(s) => <p data-testid="health">Server: {s().status}, database: {s().database}</p>}
          </Match>
        </Switch>
      </div>
    </section>
  );
}
