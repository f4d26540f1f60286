export default function NewCustomerForm() {
  const navigate = useNavigate();
  const [form, setForm] = createStore<NewCustomer>({ name: '', email: null, phone: null });
  const [error, setError] = createSignal<string>();
  const [saving, setSaving] = createSignal(false);

  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    setSaving(true);
    const result = await createCustomer({ ...form });
    setSaving(false);
    if (result.ok) navigate(`/customers/${result.data.id}`);
    else setError(result.error.message);
  };

  return (
    <form class="card bg-base-100 shadow" onSubmit={submit}>
      <div class="card-body gap-3">
        <h1 class="card-title">New customer</h1>
        <Show when={error()}>{(message) => <div role="alert" class="alert alert-error">{message()}</div>}</Show>
        <label class="fieldset">
          <span class="fieldset-legend">Name</span>
          <input class="input w-full" required value={form.name} onInput={(e) => setForm('name', e.currentTarget.value)} />
        </label>
        <label class="fieldset">
          <span class="fieldset-legend">Email</span>
          <input class="input w-full" type="email" value={form.email ?? ''} onInput={(e) => setForm('email', e.currentTarget.value || null)} />
        </label>
        <label class="fieldset">
          <span class="fieldset-legend">Phone</span>
          <input class="input w-full" value={form.phone ?? ''} onInput={(e) => setForm('phone', e.currentTarget.value || null)} />
        </label>
        <div class="card-actions justify-end">
          <button class="btn btn-primary" type="submit" disabled={saving()}>Save</button>
        </div>
      </div>
    </form>
  );
}
