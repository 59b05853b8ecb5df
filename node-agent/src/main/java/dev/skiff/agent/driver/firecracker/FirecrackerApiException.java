package dev.skiff.agent.driver.firecracker;

import java.io.IOException;

/** Firecracker refused a request: its status and the {@code fault_message} of its error body. */
public final class FirecrackerApiException extends IOException {
    private final int status;
    private final String faultMessage;

    FirecrackerApiException(ApiCall call, int status, String faultMessage) {
        super("Firecracker refused " + call + " (" + status + "): " + faultMessage);
        this.status = status;
        this.faultMessage = faultMessage;
    }

    public int status() {
        return status;
    }

    /** What Firecracker said was wrong. */
    public String faultMessage() {
        return faultMessage;
    }
}
