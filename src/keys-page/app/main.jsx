import { createRoot } from 'react-dom/client';
import { App } from './App.jsx';
import { takeFragmentToken } from './session.js';
import './keys.css';

// First, before anything renders: the token leaves the address bar (and so the history and any screenshot of it).
const initialToken = takeFragmentToken();
const root = document.getElementById('keys');
const settings = {
  graphqlPath: root.dataset.graphql || '/graphql',
  embedOrigins: (root.dataset.embedOrigins || '').split(' ').filter(Boolean),
};
createRoot(root).render(<App settings={settings} initialToken={initialToken} />);
