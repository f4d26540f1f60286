export default function NewOrderForm() {
  const navigate = useNavigate();
  const [form, setForm] = createStore<NewOrder>({ customer_id: 0, status: '', pickup_at: null, notes: null, total_cents: 0 });
  const [error, setError] = createSignal<string>();
  const [saving, setSaving] = createSignal(false);

  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    setSaving(true);
    const result = await createOrder({ ...form });
    setSaving(false);
    if (result.ok) navigate(`/orders/${result.data.id}`);
    else setError(result.error.message);
  };

  return (
    <form class="card bg-base-100 shadow" onSubmit={submit}>
      <div class="card-body gap-3">
        <h1 class="card-title">New order</h1>
        <Show when={error()}>{(message) => <div role="alert" class="alert alert-error">{message()}</div>}</Show>
        <label class="fieldset">
          <span class="fieldset-legend">Customer id</span>
          <input class="input w-full" type="number" required value={form.customer_id} onInput={(e) => setForm('customer_id', e.currentTarget.valueAsNumber)} />
        </label>
        <label class="fieldset">
          <span class="fieldset-legend">Status</span>
          <input class="input w-full" required value={form.status} onInput={(e) => setForm('status', e.currentTarget.value)} />
        </label>
        <label class="fieldset">
          <span class="fieldset-legend">Pickup at</span>
          <input class="input w-full" type="datetime-local" value={form.pickup_at?.slice(0, 16) ?? ''} onInput={(e) => setForm('pickup_at', e.currentTarget.value ? `${e.currentTarget.value}:00` : null)} />
        </label>
        <label class="fieldset">
          <span class="fieldset-legend">Notes</span>
          <textarea class="textarea w-full" value={form.notes ?? ''} onInput={(e) => setForm('notes', e.currentTarget.value || null)} />
        </label>
        <label class="fieldset">
          <span class="fieldset-legend">Total</span>
          <input class="input w-full" type="number" step="0.01" min="0" required value={form.total_cents / 100} onInput={(e) => setForm('total_cents', Math.round(e.currentTarget.valueAsNumber * 100))} />
        </label>
        <div class="card-actions justify-end">
          <button class="btn btn-primary" type="submit" disabled={saving()}>Save</button>
        </div>
      </div>
    </form>
  );
}
