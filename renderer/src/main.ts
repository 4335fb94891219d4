import { createPinia } from 'pinia';
import { createApp } from 'vue';
import App from './App.vue';
import { router } from './router';
import './styles/base.css';
import './styles/layout.css';

import { useTabsStore } from './stores/tabs';
import { installControlNames } from './ui/a11y';

const app = createApp(App).use(createPinia());
useTabsStore().install(router);
app.use(router).mount('#app');
installControlNames();
