function createProductStore() {
  const [state, setState] = createStore<{ rows: Product[]; loading: boolean; error: string | null }>({ rows: [], loading: false, error: null });

  async function load() {
    setState({ loading: true, error: null });
    const result = await listProducts();
    if (result.ok) setState({ rows: result.data, loading: false });
    else setState({ loading: false, error: result.error.message });
  }

  void load();
  return { state, load };
}

type ProductStore = ReturnType<typeof createProductStore>;
const ProductContext = createContext<ProductStore>();

export function ProductProvider(props: ParentProps) {
  const store = createProductStore();
  return <ProductContext.Provider value={store}>{props.children}</ProductContext.Provider>;
}

export function useProducts(): ProductStore {
  const store = useContext(ProductContext);
  if (!store) throw new Error('useProducts() must be used inside <ProductProvider>');
  return store;
}
