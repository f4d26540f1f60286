function createCustomerStore() {
  const [state, setState] = createStore<{ rows: Customer[]; loading: boolean; error: string | null }>({ rows: [], loading: false, error: null });

  async function load() {
    setState({ loading: true, error: null });
    const result = await listCustomers();
    if (result.ok) setState({ rows: result.data, loading: false });
    else setState({ loading: false, error: result.error.message });
  }

  async function add(body: NewCustomer): Promise<boolean> {
    const result = await createCustomer(body);
    if (!result.ok) {
      setState('error', result.error.message);
      return false;
    }
    const row = result.data;
    setState('rows', (rows) => [...rows, row]);
    return true;
  }

  async function update(id: number, body: NewCustomer): Promise<boolean> {
    const result = await updateCustomer(id, body);
    if (!result.ok) {
      setState('error', result.error.message);
      return false;
    }
    setState('rows', (row) => row.id === id, result.data);
    return true;
  }

  async function remove(id: number): Promise<boolean> {
    const result = await deleteCustomer(id);
    if (!result.ok) {
      setState('error', result.error.message);
      return false;
    }
    setState('rows', (rows) => rows.filter((row) => row.id !== id));
    return true;
  }

  void load();
  return { state, load, add, update, remove };
}

type CustomerStore = ReturnType<typeof createCustomerStore>;
const CustomerContext = createContext<CustomerStore>();

export function CustomerProvider(props: ParentProps) {
  const store = createCustomerStore();
  return <CustomerContext.Provider value={store}>{props.children}</CustomerContext.Provider>;
}

export function useCustomers(): CustomerStore {
  const store = useContext(CustomerContext);
  if (!store) throw new Error('useCustomers() must be used inside <CustomerProvider>');
  return store;
}
