import { fileURLToPath, URL } from 'node:url';
import { defineConfig } from 'vitest/config';
import vue from '@vitejs/plugin-vue';

// The dev server proxies /api to a running `zhenxing serve` (ZX_API, default 127.0.0.1:8080).
// The Qinghai GeoJSON under ../data/geo is imported into its own lazily loaded chunk.
export default defineConfig({
  plugins: [vue()],
  base: '/',
  resolve: {
    alias: {
      '@': fileURLToPath(new URL('./src', import.meta.url)),
      '@geo': fileURLToPath(new URL('../data/geo', import.meta.url)),
    },
  },
  server: {
    fs: { allow: ['..'] },
    proxy: { '/api': { target: process.env.ZX_API ?? 'http://127.0.0.1:8080', changeOrigin: false } },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    chunkSizeWarningLimit: 1500,
    rollupOptions: {
      output: {
        manualChunks(id: string) {
          if (id.includes('node_modules/echarts') || id.includes('node_modules/zrender')) return 'echarts';
          if (id.includes('node_modules/element-plus') || id.includes('node_modules/@element-plus')) return 'element-plus';
          return undefined;
        },
      },
    },
  },
  test: {
    environment: 'node',
    include: ['src/**/*.test.ts'],
  },
});
