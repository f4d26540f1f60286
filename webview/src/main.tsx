import './zodSetup';
import './styles/main.css';
import { render } from 'solid-js/web';
import { App } from './App';
import { acquireBridge } from './bridge';
import { createClient } from './client';
import { registerToolkit } from './toolkit';

registerToolkit();
const root = document.getElementById('app');
if (!root) throw new Error('nocodo: #app is missing from the webview HTML');
const client = createClient(acquireBridge());
render(() => <App client={client} />, root);
