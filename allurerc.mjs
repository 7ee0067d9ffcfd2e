import { defineConfig } from 'allure'

// One self-contained HTML file: readable offline, attachable to a CI run.
export default defineConfig({
  name: 'LVS conformance',
  output: './reports/html',
  plugins: {
    awesome: { options: { singleFile: true, reportName: 'LVS conformance', groupBy: ['parentSuite', 'suite', 'subSuite'] } },
  },
})
