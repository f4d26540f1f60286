import tailwindcss from '@tailwindcss/vite';
import { defineConfig } from 'vite';
import solid from 'vite-plugin-solid';

// In development the API is proxied, so the generated client calls it on the page's own origin.
// API_URL is where the backend listens (`nocodo run` sets it; backend/.env.example has the default).
const api = process.env.API_URL ?? 'http://127.0.0.1:8088';

export default defineConfig({
  plugins: [solid(), tailwindcss()],
  server: { proxy: { '/api': api } },
  preview: { proxy: { '/api': api } },
});
