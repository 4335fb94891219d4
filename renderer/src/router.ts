import { createRouter, createWebHashHistory } from 'vue-router';
import ClusterView from './views/ClusterView.vue';
import ConnectionsView from './views/ConnectionsView.vue';
import GroupDetailView from './views/GroupDetailView.vue';
import GroupsView from './views/GroupsView.vue';
import AclsView from './views/AclsView.vue';
import BrokerConfigsView from './views/BrokerConfigsView.vue';
import UsersQuotasView from './views/UsersQuotasView.vue';
import TopicDetailView from './views/TopicDetailView.vue';
import TopicsView from './views/TopicsView.vue';
import TransactionsView from './views/TransactionsView.vue';
import ConsumeView from './views/ConsumeView.vue';
import ProduceView from './views/ProduceView.vue';
import PresetsView from './views/PresetsView.vue';
import CapturesView from './views/CapturesView.vue';
import ListenView from './views/ListenView.vue';
import CommitView from './views/CommitView.vue';
import ConnectView from './views/ConnectView.vue';
import ConnectorView from './views/ConnectorView.vue';
import ConnectorEditView from './views/ConnectorEditView.vue';
import SubjectsView from './views/SubjectsView.vue';

/** Hash history: the same URLs work from app:// in Electron and from the browser-mode server. */
export const router = createRouter({
  history: createWebHashHistory(),
  routes: [
    { path: '/', redirect: '/connections' },
    { path: '/connections', name: 'connections', component: ConnectionsView },
    { path: '/connections/new', name: 'connection-new', component: ConnectionsView, props: { editing: 'new' } },
    {
      path: '/connections/:id/edit',
      name: 'connection-edit',
      component: ConnectionsView,
      props: (r) => ({ editing: r.params.id }),
    },
    { path: '/connections/:id/cluster', name: 'cluster', component: ClusterView, props: true },
    {
      path: '/connections/:id/brokers/:broker/configs',
      name: 'broker-configs',
      component: BrokerConfigsView,
      props: true,
    },
    { path: '/connections/:id/topics', name: 'topics', component: TopicsView, props: true },
    { path: '/connections/:id/topics/:topic', name: 'topic', component: TopicDetailView, props: true },
    { path: '/connections/:id/groups', name: 'groups', component: GroupsView, props: true },
    { path: '/connections/:id/groups/:group', name: 'group', component: GroupDetailView, props: true },
    { path: '/connections/:id/acls', name: 'acls', component: AclsView, props: true },
    { path: '/connections/:id/users', name: 'users', component: UsersQuotasView, props: true },
    { path: '/connections/:id/transactions', name: 'transactions', component: TransactionsView, props: true },
    { path: '/connections/:id/produce', name: 'produce', component: ProduceView, props: true },
    { path: '/connections/:id/consume', name: 'consume', component: ConsumeView, props: true },
    { path: '/connections/:id/listen', name: 'listen', component: ListenView, props: true },
    { path: '/connections/:id/commit', name: 'commit', component: CommitView, props: true },
    { path: '/connections/:id/connect', name: 'connect', component: ConnectView, props: true },
    { path: '/connections/:id/schemas', name: 'schemas', component: SubjectsView, props: true },
    { path: '/connections/:id/connect/:cluster/new', name: 'connector-new', component: ConnectorEditView, props: true },
    {
      path: '/connections/:id/connect/:cluster/:name/edit',
      name: 'connector-edit',
      component: ConnectorEditView,
      props: true,
    },
    { path: '/connections/:id/connect/:cluster/:name', name: 'connector', component: ConnectorView, props: true },
    { path: '/presets', name: 'presets', component: PresetsView },
    { path: '/captures', name: 'captures', component: CapturesView },
    { path: '/captures/:captureId', name: 'capture', component: CapturesView, props: true },
  ],
});
