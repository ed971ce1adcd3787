import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The server serves dist/ (LTC_WEB_DIR); in development `npm run dev -w apps/web` proxies the API.
export default defineConfig({
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    chunkSizeWarningLimit: 2500,
    rolldownOptions: {
      output: {
        codeSplitting: {
          groups: [
            { name: 'charts', test: /node_modules[\\/](echarts|zrender)/ },
            { name: 'antd', test: /node_modules[\\/](antd|@ant-design|rc-[\w-]+|@rc-component)[\\/]/ },
            // exceljs (a 0.9 MB bundle of its own) only loads when a list is exported: not in the start-up chunk.
            { name: 'vendor', test: /node_modules[\\/](?!exceljs[\\/])/ },
          ],
        },
      },
    },
  },
  server: { proxy: { '/api': 'http://localhost:3000' } },
});
