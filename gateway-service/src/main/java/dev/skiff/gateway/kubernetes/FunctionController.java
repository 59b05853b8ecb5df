package dev.skiff.gateway.kubernetes;

import dev.skiff.gateway.GatewayConfig;
import dev.skiff.gateway.functions.FunctionService;
import dev.skiff.gateway.kubernetes.model.FunctionResource;
import dev.skiff.gateway.metrics.GatewayMetrics;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.MixedOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.validation.Validator;
import java.time.Clock;
import java.time.Duration;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

/**
 * The Function controller: an informer watches Function resources (listing them again every
 * resync period), every event queues the resource's {@code namespace/name}, and one worker
 * thread reconciles the keys one at a time through {@link FunctionReconciler}; a failed key is
 * retried with backoff. Off unless {@code skiff.gateway.kubernetes.controller.enabled}: without
 * it the gateway never builds a Kubernetes client.
 */
@ApplicationScoped
public class FunctionController {
    private static final Logger LOG = Logger.getLogger(FunctionController.class);

    private final GatewayConfig.Controller config;
    private final Instance<KubernetesClient> clients;
    private final FunctionService functions;
    private final Validator validator;
    private final GatewayMetrics metrics;
    private volatile SharedIndexInformer<FunctionResource> informer;
    private volatile ReconcileQueue queue;
    private volatile Thread worker;

    FunctionController(GatewayConfig config, Instance<KubernetesClient> clients, FunctionService functions,
            Validator validator, GatewayMetrics metrics) {
        this.config = config.kubernetes().controller();
        this.clients = clients;
        this.functions = functions;
        this.validator = validator;
        this.metrics = metrics;
    }

    void onStart(@Observes StartupEvent event) {
        if (config.enabled()) {
            start();
        }
    }

    void onStop(@Observes ShutdownEvent event) {
        stop();
    }

    /** Starts watching and reconciling; the informer keeps trying while the API server cannot be reached. */
    synchronized void start() {
        KubernetesClient client = clients.get();
        String namespace = config.namespace().orElse(client.getNamespace() == null ? "default" : client.getNamespace());
        MixedOperation<FunctionResource, ?, Resource<FunctionResource>> functionResources = client.resources(FunctionResource.class);
        queue = new ReconcileQueue(config.retryInitialDelay(), config.retryMaxDelay());
        FunctionReconciler reconciler = new FunctionReconciler(client, functions, validator, Clock.systemUTC());
        informer = ("*".equals(namespace)
                ? functionResources.inAnyNamespace() : functionResources.inNamespace(namespace))
                .runnableInformer(config.resync().toMillis());
        informer.addEventHandler(new ResourceEventHandler<>() {
            @Override
            public void onAdd(FunctionResource resource) {
                queue.add(FunctionModel.key(resource));
            }

            @Override
            public void onUpdate(FunctionResource old, FunctionResource resource) {
                queue.add(FunctionModel.key(resource));
            }

            @Override
            public void onDelete(FunctionResource resource, boolean finalStateUnknown) {
                LOG.debugf("Function %s is gone", FunctionModel.key(resource));
            }
        });
        informer.exceptionHandler((started, failure) -> {
            LOG.warnf("Function informer (started: %s): %s; trying again", started, failure.toString());
            return true;
        });
        metrics.controllerStarted();
        worker = new Thread(() -> work(reconciler), "skiff-function-controller");
        worker.setDaemon(true);
        worker.start();
        informer.start().whenComplete((ok, failure) -> {
            if (failure == null) {
                LOG.infof("Function controller watching %s", "*".equals(namespace)
                        ? "every namespace" : "namespace " + namespace);
            } else {
                LOG.errorf("Function informer did not start: %s", failure.toString());
            }
        });
    }

    /** The worker: takes keys one at a time and never dies of a failed reconcile. */
    private void work(FunctionReconciler reconciler) {
        while (!Thread.currentThread().isInterrupted()) {
            String key;
            try {
                key = queue.take();
            } catch (InterruptedException e) {
                return;
            }
            FunctionResource resource = informer.getStore().getByKey(key);
            if (resource == null) {
                queue.forget(key);
                continue;
            }
            MDC.put("function", resource.getMetadata().getName());
            MDC.put("resource", key);
            try {
                FunctionReconciler.Result result = reconciler.reconcile(resource);
                metrics.reconciled(result.tag);
                if (result == FunctionReconciler.Result.ERROR) {
                    queue.retryLater(key);
                } else {
                    queue.forget(key);
                }
            } catch (RuntimeException e) {
                metrics.reconciled(FunctionReconciler.Result.ERROR.tag);
                Duration delay = queue.retryLater(key);
                LOG.warnf("Function %s: reconcile failed, trying again in %s: %s", key, delay, e.toString());
                LOG.debug("reconcile failure", e);
            } finally {
                MDC.remove("function");
                MDC.remove("resource");
            }
        }
    }

    synchronized void stop() {
        if (informer != null) {
            informer.stop();
        }
        if (worker != null) {
            worker.interrupt();
        }
        if (queue != null) {
            queue.close();
        }
    }
}
