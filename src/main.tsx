// Entry point of the Wirelens page.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './ui/App';
import './ui/styles.css';
import { registerServiceWorker } from './ui/offline';
import { connect } from './ui/store';

// start the capture worker now, so that loading its code overlaps the first render instead of following it
connect();

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);

registerServiceWorker();
