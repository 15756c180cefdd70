/**
 * The typed Kubernetes API objects (KubeDeployment, KubeService, ...) that every construct here writes with: the
 * classes cdk8s-plus generates from the Kubernetes 1.28 schema. Only these are loaded, not cdk8s-plus's L2 library,
 * which nothing here uses and which would cost every synth its load time.
 */
export * from 'cdk8s-plus-28/lib/imports/k8s';
