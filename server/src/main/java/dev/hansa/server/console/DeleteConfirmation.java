package dev.hansa.server.console;

/** The delete confirmation form: the federation's name, typed by the person who deletes it. */
class DeleteConfirmation {

    private String confirmName = "";

    public String getConfirmName() {
        return confirmName;
    }

    public void setConfirmName(String confirmName) {
        this.confirmName = confirmName;
    }
}
