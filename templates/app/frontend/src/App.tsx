import { A, Route, Router, type RouteSectionProps } from '@solidjs/router';
import Home from './pages/Home';

function Layout(props: RouteSectionProps) {
  return (
    <div class="min-h-screen bg-base-200">
      <nav class="navbar bg-base-100 shadow-sm">
        <A href="/" class="btn btn-ghost text-xl">{{app_name}}</A>
        <ul class="menu menu-horizontal px-1">
          <li><A href="/">Home</A></li>
        </ul>
      </nav>
      <main class="container mx-auto p-4">{props.children}</main>
    </div>
  );
}

export default function App() {
  return (
    <Router root={Layout}>
      <Route path="/" component={Home} />
    </Router>
  );
}
