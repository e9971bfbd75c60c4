import { createApp } from 'vue';
import ElementPlus from 'element-plus';
import zhCn from 'element-plus/es/locale/lang/zh-cn';
import 'element-plus/dist/index.css';
import * as Icons from '@element-plus/icons-vue';
import App from './App.vue';
import { pinia } from './store';
import { router } from './router';
import { i18n } from './locales';
import { setRequestHooks } from './utils/request';
import { useUserStore } from './store/modules/user';
import './styles/index.css';

const app = createApp(App);
app.use(pinia).use(router).use(i18n).use(ElementPlus, { locale: zhCn });
for (const [name, component] of Object.entries(Icons)) app.component(name, component);

setRequestHooks({
  onUnauthorized: () => {
    useUserStore(pinia).clear();
    const current = router.currentRoute.value;
    if (current.name !== 'Login') void router.push({ name: 'Login', query: { redirect: current.fullPath } });
  },
  onMustChangePassword: () => {
    const userStore = useUserStore(pinia);
    if (userStore.user) userStore.user.must_change_password = true;
    if (router.currentRoute.value.name !== 'Password') void router.push({ name: 'Password' });
  },
});

app.mount('#app');
