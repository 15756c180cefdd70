// The floor the benchmark compares synth with: the smallest real cdk8s-plus app, one Deployment, as `cdk8s init`
// would write it (cdk8s and cdk8s-plus loaded from node_modules), synthesized into the folder given as argument.
'use strict';

const { App, Chart } = require('cdk8s');
const kplus = require('cdk8s-plus-28');

const app = new App({ outdir: process.argv[2] });
const chart = new Chart(app, 'floor');
new kplus.Deployment(chart, 'web', { containers: [{ image: 'nginx:1.27.3', portNumber: 80 }] });
app.synth();
